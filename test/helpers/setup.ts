// Loaded before every test file (vitest.config.ts). The zod schemas and the chevrotain parser
// are loaded lazily in production, by a synchronous require of their compiled files
// (src/schema/lazy.ts, src/syntax/lazy.ts), which a test cannot do with .ts sources: they are
// loaded here instead, as importing the library entry loads the schemas.
import "../../src/schema/graders.js";
import "../../src/syntax/full-parse.js";
