import { EmbeddedActionsParser, type IToken, tokenMatcher } from "chevrotain";
import type * as A from "./ast.js";
import { decodeBlock, decodeQuoted, formulaLines, type DecodedString } from "./strings.js";
import {
  allTokens,
  BlockString,
  CalculateOutput,
  Graders,
  Colon,
  Comma,
  DotDot,
  False,
  Identifier,
  LBracket,
  LCurly,
  LParen,
  Minus,
  Null,
  NumberLiteral,
  Operator,
  Path,
  Pipe,
  Question,
  RBracket,
  RCurly,
  RParen,
  StringLiteral,
  True,
} from "./tokens.js";
import { errorMessages } from "./parse-errors.js";

/*
 * The `.grade` parser. Each rule's grammar production (grammar/grammar.md) sits above it.
 * The AST is built directly; spans are offsets from the first to the last token of a rule.
 */

export class GradeParser extends EmbeddedActionsParser {
  constructor() {
    super(allTokens, {
      recoveryEnabled: true,
      maxLookahead: 3,
      errorMessageProvider: errorMessages,
      skipValidations: process.env.GRADE_VALIDATE_GRAMMAR !== "1",
    });
    this.performSelfAnalysis();
  }

  /** Offsets of the tokens a rule consumed. */
  private spanFrom(first: IToken): A.Span {
    const last = this.LA(0);
    const start = first.startOffset;
    const end = last && last.startOffset >= start ? last.startOffset + last.image.length : start + first.image.length;
    const safeStart = Number.isFinite(start) && start >= 0 ? start : 0;
    return {
      start: safeStart,
      end: Number.isFinite(end) && end >= safeStart ? end : safeStart,
    };
  }

  private spanOf(token: IToken): A.Span {
    // A token inserted by error recovery has no place in the text: give it an empty span where
    // the text before it ends.
    if (!Number.isFinite(token.startOffset) || token.startOffset < 0) {
      const prev = this.LA(0);
      const at = prev && Number.isFinite(prev.startOffset) && prev.startOffset >= 0 ? prev.startOffset + prev.image.length : 0;
      return { start: at, end: at };
    }
    return {
      start: token.startOffset,
      end: token.startOffset + token.image.length,
    };
  }

  private identifier(token: IToken): A.Identifier {
    return { kind: "Identifier", name: token.image, span: this.spanOf(token) };
  }

  /** A field, or undefined (a member the caller skips) when error recovery left its value out. */
  private field(key: IToken, value: A.FieldValue | undefined): A.Member {
    return (value ? { kind: "Field", key: this.keyOf(key), value, span: this.spanFrom(key) } : undefined) as A.Member;
  }

  private keyOf(token: IToken): A.Key {
    const quoted = tokenMatcher(token, StringLiteral);
    return {
      kind: "Key",
      name: quoted ? this.decoded(token).value : token.image,
      quoted,
      span: this.spanOf(token),
    };
  }

  private stringValue(token: IToken): A.StringValue {
    const block = tokenMatcher(token, BlockString);
    return {
      kind: "StringValue",
      value: this.decoded(token).value,
      block,
      span: this.spanOf(token),
    };
  }

  private decoded(token: IToken): DecodedString {
    const decoded = tokenMatcher(token, BlockString)
      ? decodeBlock(token.image, token.startOffset)
      : decodeQuoted(token.image, token.startOffset);
    this.problems.push(...decoded.problems);
    return decoded;
  }

  /** Can the next tokens start message content: a string, a path, a list or a call? */
  /** After `key:`, a `name:` on a later line: the value was left out. */
  private valueLeftOut(colon: IToken): boolean {
    const next = this.LA(1);
    if (!tokenMatcher(next, Identifier) || !tokenMatcher(this.LA(2), Colon)) return false;
    return this.sourceText.slice(colon.startOffset + 1, next.startOffset).includes("\n");
  }

  private isContentStart(offset: number): boolean {
    const t = this.LA(offset);
    return (
      tokenMatcher(t, StringLiteral) ||
      tokenMatcher(t, BlockString) ||
      tokenMatcher(t, Path) ||
      tokenMatcher(t, LBracket) ||
      (tokenMatcher(t, Identifier) && tokenMatcher(this.LA(offset + 1), LParen))
    );
  }

  private endsOperand(t: IToken): boolean {
    return (
      tokenMatcher(t, Identifier) || tokenMatcher(t, NumberLiteral) || tokenMatcher(t, Path) || tokenMatcher(t, RParen)
    );
  }

  // file = { declaration | grader | test } EOF
  public file = this.RULE("file", () => {
    const first = this.LA(1);
    const declarations: A.NamespaceDecl[] = [];
    const graders: A.Grader[] = [];
    const tests: A.TestBlock[] = [];
    // One token decides: any name starts a grader, so `string_check "x` (broken) is reported
    // inside the grader, not as "expected a grader".
    this.MANY({
      MAX_LOOKAHEAD: 1,
      DEF: () => {
        this.OR({
          MAX_LOOKAHEAD: 1,
          DEF: [
            {
              GATE: () =>
                (this.LA(1).image === "item" || this.LA(1).image === "sample") && tokenMatcher(this.LA(2), LCurly),
              ALT: () => {
                const decl = this.SUBRULE(this.declaration);
                this.ACTION(() => decl && declarations.push(decl));
              },
            },
            {
              GATE: () => this.LA(1).image === "test" && tokenMatcher(this.LA(2), StringLiteral),
              ALT: () => {
                const test = this.SUBRULE(this.test);
                this.ACTION(() => test && tests.push(test));
              },
              IGNORE_AMBIGUITIES: true,
            },
            {
              ALT: () => {
                const grader = this.SUBRULE(this.grader);
                this.ACTION(() => grader && graders.push(grader));
              },
              IGNORE_AMBIGUITIES: true,
            },
          ],
        });
      },
    });
    return this.ACTION(() => ({
      declarations,
      graders,
      tests,
      span: { start: 0, end: Math.max(0, this.spanFrom(first).end) },
    }));
  });

  // declaration = ("item" | "sample") objectType
  private declaration = this.RULE("declaration", (): A.NamespaceDecl => {
    const ns = this.CONSUME(Identifier);
    const type = this.SUBRULE(this.objectType);
    return this.ACTION(() => ({
      kind: "NamespaceDecl",
      namespace: this.identifier(ns),
      type,
      span: this.spanFrom(ns),
    }));
  });

  // objectType = "{" { typeField [","] } "}"
  private objectType = this.RULE("objectType", (): A.ObjectType => {
    const open = this.CONSUME(LCurly);
    const fields: A.TypeField[] = [];
    this.MANY(() => {
      const field = this.SUBRULE(this.typeField);
      this.ACTION(() => field && fields.push(field));
      this.OPTION(() => this.CONSUME(Comma));
    });
    this.CONSUME(RCurly);
    return this.ACTION(() => ({
      kind: "ObjectType",
      fields,
      span: this.spanFrom(open),
    }));
  });

  // typeField = (name | string) ["?"] ":" type
  private typeField = this.RULE("typeField", (): A.TypeField => {
    const key = this.OR([{ ALT: () => this.CONSUME(Identifier) }, { ALT: () => this.CONSUME(StringLiteral) }]);
    const optional = this.OPTION(() => this.CONSUME(Question));
    this.CONSUME(Colon);
    const type = this.SUBRULE(this.type);
    return this.ACTION(() => ({
      kind: "TypeField",
      key: this.keyOf(key),
      optional: optional !== undefined,
      type,
      span: this.spanFrom(key),
    }));
  });

  // type = typeAtom { "|" typeAtom }
  private type = this.RULE("type", (): A.TypeExpr => {
    const first = this.LA(1);
    const members: A.TypeExpr[] = [this.SUBRULE(this.typeAtom)];
    this.MANY(() => {
      this.CONSUME(Pipe);
      members.push(this.SUBRULE2(this.typeAtom));
    });
    return this.ACTION(() => {
      // A member error recovery left out (`[string |]`, reported as a syntax error) is dropped.
      const present = members.filter((m) => m !== undefined);
      return present.length <= 1 ? (present[0] ?? members[0]!) : { kind: "UnionType", members: present, span: this.spanFrom(first) };
    });
  });

  // typeAtom = name | "null" | string | "[" type "]" | objectType
  private typeAtom = this.RULE("typeAtom", (): A.TypeExpr => {
    return this.OR([
      {
        ALT: () => {
          const t = this.OR2([{ ALT: () => this.CONSUME(Identifier) }, { ALT: () => this.CONSUME(Null) }]);
          return this.ACTION((): A.TypeExpr => ({
            kind: "NamedType",
            name: t.image,
            span: this.spanOf(t),
          }));
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(StringLiteral);
          return this.ACTION((): A.TypeExpr => ({
            kind: "LiteralType",
            value: this.decoded(t).value,
            span: this.spanOf(t),
          }));
        },
      },
      {
        ALT: () => {
          const open = this.CONSUME(LBracket);
          const element = this.SUBRULE(this.type);
          this.CONSUME(RBracket);
          return this.ACTION((): A.TypeExpr => ({
            kind: "ListType",
            element,
            span: this.spanFrom(open),
          }));
        },
      },
      { ALT: () => this.SUBRULE(this.objectType) },
    ]);
  });

  // grader = kind [string] ( ":" shortForm | body )
  public grader = this.RULE("grader", (): A.Grader => {
    const kind = this.CONSUME(Identifier);
    const quoted = this.OPTION(() => this.CONSUME(StringLiteral));
    // `string_check exact: ...`: a name written bare is reported, then read as the string.
    const bare = this.OPTION2({
      GATE: () => quoted === undefined && (tokenMatcher(this.LA(2), Colon) || tokenMatcher(this.LA(2), LCurly)),
      DEF: () => {
        const token = this.CONSUME2(Identifier);
        this.ACTION(() =>
          this.problems.push({
            message: `a grader's name is a string: write \`${kind.image} "${token.image}"\``,
            span: this.spanOf(token),
            suggestion: `quote it: \`"${token.image}"\``,
          }),
        );
        return token;
      },
    });
    const name = quoted ?? bare;
    const body = this.OR([
      {
        ALT: () => {
          this.CONSUME(Colon);
          return this.SUBRULE(this.shortForm);
        },
      },
      { ALT: () => this.SUBRULE(this.body) },
    ]);
    return this.ACTION(() => ({
      kind: "Grader",
      type: this.identifier(kind),
      name: name
        ? tokenMatcher(name, StringLiteral)
          ? this.stringValue(name)
          : { kind: "StringValue", value: name.image, block: false, span: this.spanOf(name) }
        : undefined,
      body: body ?? {
        kind: "BlockBody",
        members: [],
        span: this.spanFrom(kind),
      },
      span: this.spanFrom(kind),
    }));
  });

  // shortForm = metric "(" value "," value ")" | value operation value
  private shortForm = this.RULE("shortForm", (): A.CompareForm | A.CallForm => {
    const first = this.LA(1);
    return this.OR([
      {
        GATE: () => tokenMatcher(this.LA(2), LParen),
        ALT: () => {
          const metric = this.CONSUME(Identifier);
          this.CONSUME(LParen);
          const args: A.Value[] = [];
          this.MANY(() => {
            const v = this.SUBRULE(this.value);
            this.ACTION(() => v && args.push(v));
            this.OPTION(() => this.CONSUME(Comma));
          });
          this.CONSUME(RParen);
          return this.ACTION((): A.CallForm => ({
            kind: "CallForm",
            metric: this.identifier(metric),
            args,
            span: this.spanFrom(first),
          }));
        },
      },
      {
        ALT: () => {
          const input = this.SUBRULE2(this.value);
          const op = this.CONSUME2(Identifier);
          const reference = this.SUBRULE3(this.value);
          return this.ACTION((): A.CompareForm => ({
            kind: "CompareForm",
            input,
            operation: this.identifier(op),
            reference,
            span: this.spanFrom(first),
          }));
        },
      },
    ]);
  });

  // body = "{" { member [","] } "}"
  private body = this.RULE("body", (): A.BlockBody => {
    const open = this.CONSUME(LCurly);
    const members: A.Member[] = [];
    this.MANY({
      // `test "name" {` is never a member: it is the next test after a `}` the body forgot, so
      // the body ends there and the error is the missing `}` (recovery inserts it and the test
      // is read as a test), not a message role and fields that do not exist.
      GATE: () => !(this.LA(1).image === "test" && tokenMatcher(this.LA(2), StringLiteral) && tokenMatcher(this.LA(3), LCurly)),
      DEF: () => {
        const member = this.SUBRULE(this.member);
        this.ACTION(() => member && members.push(member));
        this.OPTION(() => this.CONSUME(Comma));
      },
    });
    this.CONSUME(RCurly);
    return this.ACTION(() => ({
      kind: "BlockBody",
      members,
      span: this.spanFrom(open),
    }));
  });

  // member = "calculate_output" ":" (string | blockString | formula)
  //        | "graders" [":"] graderMap
  //        | key ":" value | key objectValue
  //        | role ["message"] content
  private member = this.RULE("member", (): A.Member => {
    return this.OR({
      MAX_LOOKAHEAD: 1,
      DEF: [
        { ALT: () => this.SUBRULE(this.formulaField) },
        { ALT: () => this.SUBRULE(this.gradersField) },
        { ALT: () => this.SUBRULE(this.plainMember), IGNORE_AMBIGUITIES: true },
      ],
    });
  });

  private formulaField = this.RULE("formulaField", (): A.Field => {
    const key = this.CONSUME(CalculateOutput);
    this.CONSUME(Colon);
    const value = this.OR([
      {
        ALT: () => this.stringValue(this.CONSUME(StringLiteral)) as A.FieldValue,
      },
      {
        ALT: () => this.stringValue(this.CONSUME(BlockString)) as A.FieldValue,
      },
      { ALT: () => this.SUBRULE(this.formula) },
    ]);
    return this.ACTION(() => this.field(key, value) as A.Field);
  });

  private gradersField = this.RULE("gradersField", (): A.Field => {
    const key = this.CONSUME(Graders);
    const value = this.OR([
      {
        ALT: () => {
          this.OPTION(() => this.CONSUME(Colon));
          return this.SUBRULE(this.graderMap) as A.FieldValue;
        },
      },
      {
        ALT: () => {
          this.CONSUME2(Colon);
          return this.SUBRULE(this.value);
        },
        IGNORE_AMBIGUITIES: true,
      },
    ]);
    return this.ACTION(() => this.field(key, value) as A.Field);
  });

  private plainMember = this.RULE("plainMember", (): A.Member => {
    const keyToken = this.OR([{ ALT: () => this.CONSUME(Identifier) }, { ALT: () => this.CONSUME(StringLiteral) }]);
    return this.OR2([
      {
        ALT: () => {
          const colon = this.CONSUME(Colon);
          // `reference:` whose value is not written yet, the next field on the lines below (as
          // while typing): reported, and the next line read as the next field, not as this value.
          // (A plain branch, not an OPTION: the grammar keeps its mandatory value, so a value
          // that is missing for any other reason is still chevrotain's "expected a value".)
          const leftOut = !this.RECORDING_PHASE && this.valueLeftOut(colon);
          const value = leftOut ? undefined : this.SUBRULE(this.value);
          return this.ACTION(() => {
            if (value) return this.field(keyToken, value);
            this.problems.push({
              message: `expected a value after \`${keyToken.image}:\`, found the next field \`${this.LA(1).image}\``,
              span: { start: keyToken.startOffset, end: colon.startOffset + 1 },
            });
            return undefined as unknown as A.Member;
          });
        },
      },
      {
        ALT: () => {
          const value = this.SUBRULE(this.objectValue);
          return this.ACTION(() => this.field(keyToken, value));
        },
      },
      {
        ALT: () => {
          // `user message "..."`: the word `message` before content marks `"type": "message"`.
          const typed = this.OPTION({
            GATE: () => this.LA(1).image === "message" && this.isContentStart(2),
            DEF: () => this.CONSUME2(Identifier),
          });
          const content = this.SUBRULE(this.content);
          // Under error recovery the content may be missing: then there is no message.
          return this.ACTION(() =>
            (content
              ? { kind: "Message", role: this.identifier(keyToken), typed: typed !== undefined, content, span: this.spanFrom(keyToken) }
              : undefined) as A.Member,
          );
        },
      },
    ]);
  });

  // graderMap = "{" { key ":" grader [","] } "}"
  private graderMap = this.RULE("graderMap", (): A.GraderMap => {
    const open = this.CONSUME(LCurly);
    const entries: A.GraderEntry[] = [];
    // An entry is `key: kind ...`; anything else (a field after a forgotten `}`) ends the map.
    this.MANY({
      GATE: () =>
        !tokenMatcher(this.LA(1), CalculateOutput) &&
        !tokenMatcher(this.LA(1), Graders) &&
        tokenMatcher(this.LA(2), Colon) &&
        tokenMatcher(this.LA(3), Identifier),
      DEF: () => {
        const key = this.OR([{ ALT: () => this.CONSUME(Identifier) }, { ALT: () => this.CONSUME(StringLiteral) }]);
        this.CONSUME(Colon);
        const grader = this.SUBRULE(this.grader);
        this.OPTION(() => this.CONSUME(Comma));
        this.ACTION(() => {
          if (grader)
            entries.push({
              kind: "GraderEntry",
              key: this.keyOf(key),
              grader,
              span: this.spanFrom(key),
            });
        });
      },
    });
    this.CONSUME(RCurly);
    return this.ACTION(() => ({
      kind: "GraderMap",
      entries,
      span: this.spanFrom(open),
    }));
  });

  /*
   * formula = { name | number | operator | "(" | ")" | "," }
   * The tokens up to the next member: `name :`, a top-level `,`, a `}`, or an operand right
   * after an operand (`a + b` then `graders {` on the next line). src/formula parses the text.
   */
  private formula = this.RULE("formula", (): A.Formula => {
    const first = this.LA(1);
    let depth = 0;
    let consumed = false;
    this.MANY({
      GATE: () => {
        const t = this.LA(1);
        if (tokenMatcher(t, Identifier) && tokenMatcher(this.LA(2), Colon)) return false;
        if (tokenMatcher(t, Comma) && depth === 0) return false;
        const startsOperand = tokenMatcher(t, Identifier) || tokenMatcher(t, NumberLiteral) || tokenMatcher(t, Path);
        return !(consumed && startsOperand && this.endsOperand(this.LA(0)));
      },
      DEF: () => {
        this.OR([
          { ALT: () => this.CONSUME(Identifier) },
          { ALT: () => this.CONSUME(Path) },
          { ALT: () => this.CONSUME(NumberLiteral) },
          { ALT: () => this.CONSUME(Operator) },
          { ALT: () => this.CONSUME(Comma) },
          {
            ALT: () => {
              this.CONSUME(LParen);
              depth++;
            },
          },
          {
            ALT: () => {
              this.CONSUME(RParen);
              depth--;
            },
          },
        ]);
        consumed = true;
      },
    });
    return this.ACTION(() => {
      const span = consumed ? this.spanFrom(first) : { start: first.startOffset, end: first.startOffset };
      // Comments inside a formula written over several lines are not part of it.
      let text = this.sourceText.slice(span.start, span.end);
      if (text.includes("//")) text = text.replace(/\/\/[^\n\r]*/g, "").replace(/[ \t]+(\r?\n)/g, "$1");
      return { kind: "Formula", text: formulaLines(text), span };
    });
  });

  // content = string | blockString | path | list | call
  private content = this.RULE("content", (): A.Value => {
    return this.OR([
      { ALT: () => this.stringValue(this.CONSUME(StringLiteral)) },
      { ALT: () => this.stringValue(this.CONSUME(BlockString)) },
      {
        ALT: () => {
          const t = this.CONSUME(Path);
          return this.ACTION((): A.Value => ({
            kind: "PathValue",
            path: t.image,
            span: this.spanOf(t),
          }));
        },
      },
      { ALT: () => this.SUBRULE(this.listValue) },
      { ALT: () => this.SUBRULE(this.call) },
    ]);
  });

  // value = string | blockString | number [".." number | "within" number] | "-" number
  //       | "true" | "false" | "null" | path | call | name | listValue | objectValue
  public value = this.RULE("value", (): A.Value => {
    return this.OR([
      { ALT: () => this.stringValue(this.CONSUME(StringLiteral)) },
      { ALT: () => this.stringValue(this.CONSUME(BlockString)) },
      { ALT: () => this.SUBRULE(this.numberValue) },
      {
        ALT: () => {
          const t = this.CONSUME(True);
          return this.ACTION((): A.Value => ({
            kind: "BooleanValue",
            value: true,
            span: this.spanOf(t),
          }));
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(False);
          return this.ACTION((): A.Value => ({
            kind: "BooleanValue",
            value: false,
            span: this.spanOf(t),
          }));
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(Null);
          return this.ACTION((): A.Value => ({
            kind: "NullValue",
            span: this.spanOf(t),
          }));
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(Path);
          return this.ACTION((): A.Value => ({
            kind: "PathValue",
            path: t.image,
            span: this.spanOf(t),
          }));
        },
      },
      {
        GATE: () => tokenMatcher(this.LA(2), LParen),
        ALT: () => this.SUBRULE(this.call),
      },
      {
        ALT: () => {
          const t = this.CONSUME(Identifier);
          return this.ACTION((): A.Value => ({
            kind: "NameValue",
            name: t.image,
            span: this.spanOf(t),
          }));
        },
      },
      { ALT: () => this.SUBRULE(this.listValue) },
      { ALT: () => this.SUBRULE(this.objectValue) },
    ]);
  });

  // numberValue = ["-"] number [ ".." ["-"] number | "within" number ]
  private numberValue = this.RULE("numberValue", (): A.Value => {
    const first = this.SUBRULE(this.signedNumber);
    return this.OR([
      {
        ALT: () => {
          this.CONSUME(DotDot);
          const high = this.SUBRULE2(this.signedNumber);
          // Under error recovery either number may be missing (undefined): keep what there is.
          return this.ACTION((): A.Value =>
            first && high ? { kind: "RangeValue", low: first, high, span: { start: first.span.start, end: high.span.end } } : (first ?? high),
          );
        },
      },
      {
        GATE: () => this.LA(1).image === "within" && tokenMatcher(this.LA(2), NumberLiteral),
        ALT: () => {
          this.CONSUME(Identifier);
          const tolerance = this.SUBRULE3(this.signedNumber);
          return this.ACTION((): A.Value =>
            first && tolerance
              ? { kind: "ToleranceValue", value: first, tolerance, span: { start: first.span.start, end: tolerance.span.end } }
              : (first ?? tolerance),
          );
        },
      },
      { ALT: () => first },
    ]);
  });

  private signedNumber = this.RULE("signedNumber", (): A.NumberValue => {
    const first = this.LA(1);
    const minus = this.OPTION(() => this.CONSUME(Minus));
    const digits = this.CONSUME(NumberLiteral);
    return this.ACTION(() => {
      const raw = (minus ? "-" : "") + digits.image;
      return {
        kind: "NumberValue",
        value: Number(raw),
        raw,
        span: this.spanFrom(first),
      };
    });
  });

  // call = name "(" [ argument { "," argument } [","] ] ")"
  private call = this.RULE("call", (): A.CallValue => {
    const callee = this.CONSUME(Identifier);
    this.CONSUME(LParen);
    const args: A.Argument[] = [];
    this.MANY(() => {
      const arg = this.SUBRULE(this.argument);
      this.ACTION(() => arg && args.push(arg));
      this.OPTION(() => this.CONSUME(Comma));
    });
    this.CONSUME(RParen);
    return this.ACTION(() => ({
      kind: "CallValue",
      callee: this.identifier(callee),
      args,
      span: this.spanFrom(callee),
    }));
  });

  // argument = [name ":"] value
  private argument = this.RULE("argument", (): A.Argument => {
    const first = this.LA(1);
    const name = this.OPTION({
      GATE: () => tokenMatcher(this.LA(2), Colon),
      DEF: () => {
        const n = this.CONSUME(Identifier);
        this.CONSUME(Colon);
        return n;
      },
    });
    const value = this.SUBRULE(this.value);
    // Under error recovery the value may be missing: then there is no argument (the caller skips it).
    return this.ACTION(() =>
      (value ? { kind: "Argument", name: name ? this.identifier(name) : undefined, value, span: this.spanFrom(first) } : undefined) as A.Argument,
    );
  });

  // listValue = "[" { value [","] } "]"
  private listValue = this.RULE("listValue", (): A.ListValue => {
    const open = this.CONSUME(LBracket);
    const items: A.Value[] = [];
    this.MANY(() => {
      const v = this.SUBRULE(this.value);
      this.ACTION(() => v && items.push(v));
      this.OPTION(() => this.CONSUME(Comma));
    });
    this.CONSUME(RBracket);
    return this.ACTION(() => ({
      kind: "ListValue",
      items,
      span: this.spanFrom(open),
    }));
  });

  // objectValue = "{" { key (":" value | objectValue) [","] } "}"
  private objectValue = this.RULE("objectValue", (): A.ObjectValue => {
    const open = this.CONSUME(LCurly);
    const entries: A.ObjectEntry[] = [];
    this.MANY(() => {
      const key = this.OR([{ ALT: () => this.CONSUME(Identifier) }, { ALT: () => this.CONSUME(StringLiteral) }]);
      const value = this.OR2([
        {
          ALT: () => {
            this.CONSUME(Colon);
            return this.SUBRULE(this.value);
          },
        },
        { ALT: () => this.SUBRULE(this.objectValue) },
      ]);
      this.OPTION(() => this.CONSUME(Comma));
      this.ACTION(() => {
        if (value)
          entries.push({
            kind: "ObjectEntry",
            key: this.keyOf(key),
            value,
            span: this.spanFrom(key),
          });
      });
    });
    this.CONSUME(RCurly);
    return this.ACTION(() => ({
      kind: "ObjectValue",
      entries,
      span: this.spanFrom(open),
    }));
  });

  // test = "test" string body
  private test = this.RULE("test", (): A.TestBlock => {
    const keyword = this.CONSUME(Identifier);
    const name = this.CONSUME(StringLiteral);
    const body = this.SUBRULE(this.body);
    return this.ACTION(() => {
      const fields: A.Field[] = [];
      for (const member of body?.members ?? []) {
        if (member.kind === "Field") fields.push(member);
        else
          this.problems.push({
            message: "a test holds fields (`sample`, `item`, `expect`, `given`), not messages",
            span: member.span,
          });
      }
      return {
        kind: "TestBlock",
        name: this.stringValue(name),
        fields,
        span: this.spanFrom(keyword),
      };
    });
  });

  /** The text being parsed, for slicing formulas. */
  public sourceText = "";
  /** Problems found while building the AST (not grammar errors); reset by the driver. */
  public problems: { message: string; span: A.Span; suggestion?: string }[] = [];
}

let instance: GradeParser | undefined;

/** One parser instance, reused for every file. */
export function gradeParser(): GradeParser {
  instance ??= new GradeParser();
  return instance;
}
