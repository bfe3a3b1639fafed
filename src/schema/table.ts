// Generated from the zod schemas (src/schema/graders.ts) by src/schema/derive.ts, which
// `npm run build` runs (scripts/schema-table.js); test/schema/table.test.ts keeps the two equal.
// Do not edit: change the schemas and build.
import type { SchemaTable } from "./descriptor.js";

export const schemaTable: SchemaTable = {
  "targets": ["rft","evals"],
  "enums": {
    "StringCheckOperation": ["eq","ne","like","ilike"],
    "EvaluationMetric": [
      "cosine",
      "fuzzy_match",
      "bleu",
      "gleu",
      "meteor",
      "rouge_1",
      "rouge_2",
      "rouge_3",
      "rouge_4",
      "rouge_5",
      "rouge_l"
    ],
    "Role": ["user","assistant","system","developer"],
    "ReasoningEffort": ["none","minimal","low","medium","high","xhigh","max"],
    "ImageDetail": ["high","low","auto"],
    "AudioFormat": ["mp3","wav"]
  },
  "samplingParams": ["max_completions_tokens","reasoning_effort","seed","temperature","top_p"],
  "fields": {
    "rft": {
      "string_check": [
        ["name",false,{"type":"string","nullable":false}],
        ["input",true,{"type":"string","nullable":false}],
        ["reference",true,{"type":"string","nullable":false}],
        ["operation",true,null]
      ],
      "text_similarity": [
        ["name",false,{"type":"string","nullable":false}],
        ["input",true,{"type":"string","nullable":false}],
        ["reference",true,{"type":"string","nullable":false}],
        ["evaluation_metric",true,null]
      ],
      "python": [
        ["name",false,{"type":"string","nullable":false}],
        ["source",true,{"type":"string","nullable":false}],
        ["image_tag",false,{"type":"string","nullable":false}]
      ],
      "score_model": [
        ["name",false,{"type":"string","nullable":false}],
        ["model",true,{"type":"string","nullable":false}],
        ["input",true,null],
        ["range",false,null],
        ["sampling_params",false,null]
      ],
      "label_model": [
        ["name",false,{"type":"string","nullable":false}],
        ["model",true,{"type":"string","nullable":false}],
        ["input",true,null],
        ["labels",true,{"type":"strings","nullable":false}],
        ["passing_labels",true,{"type":"strings","nullable":false}]
      ],
      "multi": [
        ["name",false,{"type":"string","nullable":false}],
        ["graders",true,null],
        ["calculate_output",true,{"type":"string","nullable":false}]
      ]
    },
    "evals": {
      "string_check": [
        ["name",false,{"type":"string","nullable":false}],
        ["input",true,{"type":"string","nullable":false}],
        ["reference",true,{"type":"string","nullable":false}],
        ["operation",true,null]
      ],
      "text_similarity": [
        ["name",false,{"type":"string","nullable":false}],
        ["input",true,{"type":"string","nullable":false}],
        ["reference",true,{"type":"string","nullable":false}],
        ["evaluation_metric",true,null],
        ["pass_threshold",true,{"type":"number","nullable":false}]
      ],
      "python": [
        ["name",false,{"type":"string","nullable":false}],
        ["source",true,{"type":"string","nullable":false}],
        ["image_tag",false,{"type":"string","nullable":false}],
        ["pass_threshold",false,{"type":"number","nullable":false}]
      ],
      "score_model": [
        ["name",false,{"type":"string","nullable":false}],
        ["model",true,{"type":"string","nullable":false}],
        ["input",true,null],
        ["range",false,null],
        ["sampling_params",false,null],
        ["pass_threshold",false,{"type":"number","nullable":false}]
      ],
      "label_model": [
        ["name",false,{"type":"string","nullable":false}],
        ["model",true,{"type":"string","nullable":false}],
        ["input",true,null],
        ["labels",true,{"type":"strings","nullable":false}],
        ["passing_labels",true,{"type":"strings","nullable":false}]
      ],
      "multi": [
        ["name",false,{"type":"string","nullable":false}],
        ["graders",true,null],
        ["calculate_output",true,{"type":"string","nullable":false}]
      ]
    }
  },
  "graders": {"rft":{"t":"ref","id":18},"evals":{"t":"ref","id":22}},
  "defs": [
    {
      "t": "object",
      "shape": {
        "type": {"t":"literal","values":["string_check"]},
        "name": {"t":"optional","of":{"t":"string"}},
        "input": {"t":"string"},
        "reference": {"t":"string"},
        "operation": {"t":"enum","values":["eq","ne","like","ilike"]}
      }
    },
    {
      "t": "object",
      "shape": {
        "type": {"t":"literal","values":["text_similarity"]},
        "name": {"t":"optional","of":{"t":"string"}},
        "input": {"t":"string"},
        "reference": {"t":"string"},
        "evaluation_metric": {
          "t": "enum",
          "values": [
            "cosine",
            "fuzzy_match",
            "bleu",
            "gleu",
            "meteor",
            "rouge_1",
            "rouge_2",
            "rouge_3",
            "rouge_4",
            "rouge_5",
            "rouge_l"
          ]
        }
      }
    },
    {
      "t": "object",
      "shape": {
        "type": {"t":"literal","values":["python"]},
        "name": {"t":"optional","of":{"t":"string"}},
        "source": {"t":"string"},
        "image_tag": {"t":"optional","of":{"t":"string"}}
      }
    },
    {"t":"object","shape":{"mode":{"t":"literal","values":["explicit"]}}},
    {
      "t": "object",
      "shape": {
        "type": {"t":"literal","values":["input_text"]},
        "text": {"t":"string"},
        "prompt_cache_breakpoint": {"t":"optional","of":{"t":"ref","id":3}}
      }
    },
    {"t":"object","shape":{"type":{"t":"literal","values":["output_text"]},"text":{"t":"string"}}},
    {
      "t": "object",
      "shape": {
        "type": {"t":"literal","values":["input_image"]},
        "image_url": {"t":"string"},
        "detail": {"t":"optional","of":{"t":"string"}},
        "file_id": {"t":"optional","of":{"t":"nullable","of":{"t":"string"}}}
      }
    },
    {"t":"object","shape":{"data":{"t":"string"},"format":{"t":"enum","values":["mp3","wav"]}}},
    {
      "t": "object",
      "shape": {"type":{"t":"literal","values":["input_audio"]},"input_audio":{"t":"ref","id":7}}
    },
    {
      "t": "discriminated",
      "key": "type",
      "options": [{"t":"ref","id":4},{"t":"ref","id":5},{"t":"ref","id":6},{"t":"ref","id":8}]
    },
    {"t":"union","options":[{"t":"string"},{"t":"ref","id":9}]},
    {
      "t": "union",
      "options": [{"t":"string"},{"t":"ref","id":9},{"t":"array","of":{"t":"ref","id":10}}]
    },
    {
      "t": "object",
      "shape": {
        "role": {"t":"enum","values":["user","assistant","system","developer"]},
        "content": {"t":"ref","id":11},
        "type": {"t":"optional","of":{"t":"literal","values":["message"]}}
      }
    },
    {
      "t": "object",
      "shape": {
        "max_completions_tokens": {"t":"optional","of":{"t":"nullable","of":{"t":"number","int":true,"min":[1,true]}}},
        "reasoning_effort": {
          "t": "optional",
          "of": {
            "t": "nullable",
            "of": {"t":"enum","values":["none","minimal","low","medium","high","xhigh","max"]}
          }
        },
        "seed": {"t":"optional","of":{"t":"nullable","of":{"t":"number","int":true}}},
        "temperature": {"t":"optional","of":{"t":"nullable","of":{"t":"number","min":[0,true],"max":[2,true]}}},
        "top_p": {"t":"optional","of":{"t":"nullable","of":{"t":"number","min":[0,true],"max":[1,true]}}}
      }
    },
    {
      "t": "object",
      "shape": {
        "type": {"t":"literal","values":["score_model"]},
        "name": {"t":"optional","of":{"t":"string"}},
        "model": {"t":"string"},
        "input": {"t":"array","of":{"t":"ref","id":12}},
        "range": {
          "t": "optional",
          "of": {"t":"tuple","items":[{"t":"number"},{"t":"number"}],"refine":"increasing"}
        },
        "sampling_params": {"t":"optional","of":{"t":"ref","id":13}}
      }
    },
    {
      "t": "object",
      "shape": {
        "type": {"t":"literal","values":["label_model"]},
        "name": {"t":"optional","of":{"t":"string"}},
        "model": {"t":"string"},
        "input": {"t":"array","of":{"t":"ref","id":12}},
        "labels": {"t":"array","of":{"t":"string"}},
        "passing_labels": {"t":"array","of":{"t":"string"}}
      }
    },
    {
      "t": "discriminated",
      "key": "type",
      "options": [
        {"t":"ref","id":0},
        {"t":"ref","id":1},
        {"t":"ref","id":2},
        {"t":"ref","id":14},
        {"t":"ref","id":15}
      ]
    },
    {
      "t": "object",
      "shape": {
        "type": {"t":"literal","values":["multi"]},
        "name": {"t":"optional","of":{"t":"string"}},
        "graders": {"t":"record","of":{"t":"ref","id":16}},
        "calculate_output": {"t":"string"}
      }
    },
    {
      "t": "discriminated",
      "key": "type",
      "options": [
        {"t":"ref","id":0},
        {"t":"ref","id":1},
        {"t":"ref","id":2},
        {"t":"ref","id":14},
        {"t":"ref","id":17}
      ]
    },
    {
      "t": "object",
      "shape": {
        "type": {"t":"literal","values":["text_similarity"]},
        "name": {"t":"optional","of":{"t":"string"}},
        "input": {"t":"string"},
        "reference": {"t":"string"},
        "evaluation_metric": {
          "t": "enum",
          "values": [
            "cosine",
            "fuzzy_match",
            "bleu",
            "gleu",
            "meteor",
            "rouge_1",
            "rouge_2",
            "rouge_3",
            "rouge_4",
            "rouge_5",
            "rouge_l"
          ]
        },
        "pass_threshold": {"t":"number"}
      }
    },
    {
      "t": "object",
      "shape": {
        "type": {"t":"literal","values":["python"]},
        "name": {"t":"optional","of":{"t":"string"}},
        "source": {"t":"string"},
        "image_tag": {"t":"optional","of":{"t":"string"}},
        "pass_threshold": {"t":"optional","of":{"t":"number"}}
      }
    },
    {
      "t": "object",
      "shape": {
        "type": {"t":"literal","values":["score_model"]},
        "name": {"t":"optional","of":{"t":"string"}},
        "model": {"t":"string"},
        "input": {"t":"array","of":{"t":"ref","id":12}},
        "range": {
          "t": "optional",
          "of": {"t":"tuple","items":[{"t":"number"},{"t":"number"}],"refine":"increasing"}
        },
        "sampling_params": {"t":"optional","of":{"t":"ref","id":13}},
        "pass_threshold": {"t":"optional","of":{"t":"number"}}
      }
    },
    {
      "t": "discriminated",
      "key": "type",
      "options": [
        {"t":"ref","id":0},
        {"t":"ref","id":19},
        {"t":"ref","id":20},
        {"t":"ref","id":21},
        {"t":"ref","id":15}
      ]
    }
  ]
};
