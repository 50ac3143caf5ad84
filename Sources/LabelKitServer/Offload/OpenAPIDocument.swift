/// The OpenAPI 3.1 document of the offload API, served at `GET /openapi.json`.
///
/// Written by hand (not generated with swift-openapi-generator): the bodies are
/// the command line's lenient documents (a region list, one result, an annotation
/// or a task; RLE as a document or a brush result), which the server reads with
/// LabelKitFormats' exact JSON reader, so generated Codable types would add a
/// second, stricter parser. `OffloadSpecTests` checks that every route is
/// documented and every documented route exists; schemathesis checks the
/// answers against the schemas (`make schemathesis`).
enum OpenAPIDocument {
    /// The document as JSON text.
    static let text = #"""
        {
         "openapi": "3.1.0",
         "info": {
          "title": "LabelKit offload API",
          "version": "1.0.0",
          "description": "Mask and geometry work for other servers: bodies are the labelkit command line's JSON documents, options are extra fields (or query parameters), answers are the commands' JSON. Any endpoint takes a batch {\"jobs\": [...]} and answers {\"results\": [...]} in order. Errors are RFC 9457 problems."
         },
         "servers": [
          {
           "url": "/"
          }
         ],
         "security": [
          {
           "bearerAuth": []
          }
         ],
         "paths": {
          "/v1/rasterize": {
           "post": {
            "operationId": "rasterize",
            "summary": "Rasterize Label Studio regions into one mask (or one per region)",
            "description": "labelkit rasterize. The answer is Label Studio RLE (default), COCO RLE or a PNG (format, or Accept: image/png). Options may also be given as query parameters (the job's fields win).",
            "parameters": [
             {
              "$ref": "#/components/parameters/format"
             },
             {
              "$ref": "#/components/parameters/rule"
             },
             {
              "$ref": "#/components/parameters/per_region"
             }
            ],
            "requestBody": {
             "required": true,
             "content": {
              "application/json": {
               "schema": {
                "anyOf": [
                 {
                  "$ref": "#/components/schemas/RasterizeJob"
                 },
                 {
                  "$ref": "#/components/schemas/RasterizeBatch"
                 }
                ]
               }
              }
             }
            },
            "responses": {
             "200": {
              "description": "The answer (a batch answers {results} in order, a failed job as {error: problem}).",
              "content": {
               "application/json": {
                "schema": {
                 "anyOf": [
                  {
                   "$ref": "#/components/schemas/RasterizeAnswer"
                  },
                  {
                   "$ref": "#/components/schemas/RasterizeBatchAnswer"
                  }
                 ]
                }
               },
               "image/png": {
                "schema": {
                 "type": "string",
                 "format": "binary"
                }
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/400"
             },
             "401": {
              "$ref": "#/components/responses/401"
             },
             "413": {
              "$ref": "#/components/responses/413"
             },
             "415": {
              "$ref": "#/components/responses/415"
             },
             "422": {
              "$ref": "#/components/responses/422"
             },
             "503": {
              "$ref": "#/components/responses/503"
             }
            }
           }
          },
          "/v1/rle/encode": {
           "post": {
            "operationId": "rleEncode",
            "summary": "Encode a mask as Label Studio or COCO RLE",
            "description": "labelkit rle encode: a PNG (raw image/png body or base64), an RLE document, or COCO polygons. Options may also be given as query parameters (the job's fields win).",
            "parameters": [
             {
              "$ref": "#/components/parameters/format"
             },
             {
              "$ref": "#/components/parameters/threshold"
             }
            ],
            "requestBody": {
             "required": true,
             "content": {
              "application/json": {
               "schema": {
                "anyOf": [
                 {
                  "$ref": "#/components/schemas/EncodeJob"
                 },
                 {
                  "$ref": "#/components/schemas/RleEncodeBatch"
                 }
                ]
               }
              },
              "image/png": {
               "schema": {
                "type": "string",
                "format": "binary"
               }
              }
             }
            },
            "responses": {
             "200": {
              "description": "The answer (a batch answers {results} in order, a failed job as {error: problem}).",
              "content": {
               "application/json": {
                "schema": {
                 "anyOf": [
                  {
                   "$ref": "#/components/schemas/RLEAnswer"
                  },
                  {
                   "$ref": "#/components/schemas/RleEncodeBatchAnswer"
                  }
                 ]
                }
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/400"
             },
             "401": {
              "$ref": "#/components/responses/401"
             },
             "413": {
              "$ref": "#/components/responses/413"
             },
             "415": {
              "$ref": "#/components/responses/415"
             },
             "422": {
              "$ref": "#/components/responses/422"
             },
             "503": {
              "$ref": "#/components/responses/503"
             }
            }
           }
          },
          "/v1/rle/decode": {
           "post": {
            "operationId": "rleDecode",
            "summary": "Decode Label Studio or COCO RLE into a mask PNG",
            "description": "labelkit rle decode: 8-bit gray PNG (base64 {png} inside a batch). Options may also be given as query parameters (the job's fields win).",
            "parameters": [
             {
              "$ref": "#/components/parameters/format"
             }
            ],
            "requestBody": {
             "required": true,
             "content": {
              "application/json": {
               "schema": {
                "anyOf": [
                 {
                  "$ref": "#/components/schemas/DecodeJob"
                 },
                 {
                  "$ref": "#/components/schemas/RleDecodeBatch"
                 }
                ]
               }
              }
             }
            },
            "responses": {
             "200": {
              "description": "The answer (a batch answers {results} in order, a failed job as {error: problem}).",
              "content": {
               "image/png": {
                "schema": {
                 "type": "string",
                 "format": "binary"
                }
               },
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/RleDecodeBatchAnswer"
                }
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/400"
             },
             "401": {
              "$ref": "#/components/responses/401"
             },
             "413": {
              "$ref": "#/components/responses/413"
             },
             "415": {
              "$ref": "#/components/responses/415"
             },
             "422": {
              "$ref": "#/components/responses/422"
             },
             "503": {
              "$ref": "#/components/responses/503"
             }
            }
           }
          },
          "/v1/rle/convert": {
           "post": {
            "operationId": "rleConvert",
            "summary": "Convert Label Studio RLE to COCO RLE or back",
            "description": "labelkit rle convert. Options may also be given as query parameters (the job's fields win).",
            "parameters": [
             {
              "$ref": "#/components/parameters/from"
             },
             {
              "$ref": "#/components/parameters/to"
             }
            ],
            "requestBody": {
             "required": true,
             "content": {
              "application/json": {
               "schema": {
                "anyOf": [
                 {
                  "$ref": "#/components/schemas/ConvertJob"
                 },
                 {
                  "$ref": "#/components/schemas/RleConvertBatch"
                 }
                ]
               }
              }
             }
            },
            "responses": {
             "200": {
              "description": "The answer (a batch answers {results} in order, a failed job as {error: problem}).",
              "content": {
               "application/json": {
                "schema": {
                 "anyOf": [
                  {
                   "$ref": "#/components/schemas/RLEAnswer"
                  },
                  {
                   "$ref": "#/components/schemas/RleConvertBatchAnswer"
                  }
                 ]
                }
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/400"
             },
             "401": {
              "$ref": "#/components/responses/401"
             },
             "413": {
              "$ref": "#/components/responses/413"
             },
             "415": {
              "$ref": "#/components/responses/415"
             },
             "422": {
              "$ref": "#/components/responses/422"
             },
             "503": {
              "$ref": "#/components/responses/503"
             }
            }
           }
          },
          "/v1/masks/measure": {
           "post": {
            "operationId": "masksMeasure",
            "summary": "Area, box, IoU matrix, union and intersection of masks",
            "description": "pycocotools area, toBbox, iou(masks, gt, iscrowd) and merge. Options may also be given as query parameters (the job's fields win).",
            "parameters": [
             {
              "$ref": "#/components/parameters/union"
             },
             {
              "$ref": "#/components/parameters/intersection"
             }
            ],
            "requestBody": {
             "required": true,
             "content": {
              "application/json": {
               "schema": {
                "anyOf": [
                 {
                  "$ref": "#/components/schemas/MeasureJob"
                 },
                 {
                  "$ref": "#/components/schemas/MasksMeasureBatch"
                 }
                ]
               }
              },
              "image/png": {
               "schema": {
                "type": "string",
                "format": "binary"
               }
              }
             }
            },
            "responses": {
             "200": {
              "description": "The answer (a batch answers {results} in order, a failed job as {error: problem}).",
              "content": {
               "application/json": {
                "schema": {
                 "anyOf": [
                  {
                   "$ref": "#/components/schemas/MeasureAnswer"
                  },
                  {
                   "$ref": "#/components/schemas/MasksMeasureBatchAnswer"
                  }
                 ]
                }
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/400"
             },
             "401": {
              "$ref": "#/components/responses/401"
             },
             "413": {
              "$ref": "#/components/responses/413"
             },
             "415": {
              "$ref": "#/components/responses/415"
             },
             "422": {
              "$ref": "#/components/responses/422"
             },
             "503": {
              "$ref": "#/components/responses/503"
             }
            }
           }
          },
          "/v1/vectorize": {
           "post": {
            "operationId": "vectorize",
            "summary": "Trace a mask into polygons with holes",
            "description": "labelkit vectorize. Options may also be given as query parameters (the job's fields win).",
            "parameters": [
             {
              "$ref": "#/components/parameters/simplify"
             },
             {
              "$ref": "#/components/parameters/percent"
             }
            ],
            "requestBody": {
             "required": true,
             "content": {
              "application/json": {
               "schema": {
                "anyOf": [
                 {
                  "$ref": "#/components/schemas/VectorizeJob"
                 },
                 {
                  "$ref": "#/components/schemas/VectorizeBatch"
                 }
                ]
               }
              },
              "image/png": {
               "schema": {
                "type": "string",
                "format": "binary"
               }
              }
             }
            },
            "responses": {
             "200": {
              "description": "The answer (a batch answers {results} in order, a failed job as {error: problem}).",
              "content": {
               "application/json": {
                "schema": {
                 "anyOf": [
                  {
                   "$ref": "#/components/schemas/Contours"
                  },
                  {
                   "$ref": "#/components/schemas/VectorizeBatchAnswer"
                  }
                 ]
                }
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/400"
             },
             "401": {
              "$ref": "#/components/responses/401"
             },
             "413": {
              "$ref": "#/components/responses/413"
             },
             "415": {
              "$ref": "#/components/responses/415"
             },
             "422": {
              "$ref": "#/components/responses/422"
             },
             "503": {
              "$ref": "#/components/responses/503"
             }
            }
           }
          },
          "/v1/brush": {
           "post": {
            "operationId": "brush",
            "summary": "Paint brush strokes into a mask",
            "description": "Strokes (add/erase, round caps and joins) over an empty mask or base -> Label Studio RLE (or COCO RLE, PNG). Options may also be given as query parameters (the job's fields win).",
            "parameters": [
             {
              "$ref": "#/components/parameters/format"
             }
            ],
            "requestBody": {
             "required": true,
             "content": {
              "application/json": {
               "schema": {
                "anyOf": [
                 {
                  "$ref": "#/components/schemas/BrushJob"
                 },
                 {
                  "$ref": "#/components/schemas/BrushBatch"
                 }
                ]
               }
              }
             }
            },
            "responses": {
             "200": {
              "description": "The answer (a batch answers {results} in order, a failed job as {error: problem}).",
              "content": {
               "application/json": {
                "schema": {
                 "anyOf": [
                  {
                   "$ref": "#/components/schemas/MaskAnswer"
                  },
                  {
                   "$ref": "#/components/schemas/BrushBatchAnswer"
                  }
                 ]
                }
               },
               "image/png": {
                "schema": {
                 "type": "string",
                 "format": "binary"
                }
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/400"
             },
             "401": {
              "$ref": "#/components/responses/401"
             },
             "413": {
              "$ref": "#/components/responses/413"
             },
             "415": {
              "$ref": "#/components/responses/415"
             },
             "422": {
              "$ref": "#/components/responses/422"
             },
             "503": {
              "$ref": "#/components/responses/503"
             }
            }
           }
          },
          "/v1/hit-test": {
           "post": {
            "operationId": "hitTest",
            "summary": "Regions under each point, top-most first",
            "description": "labelkit hit-test. Options may also be given as query parameters (the job's fields win).",
            "parameters": [
             {
              "$ref": "#/components/parameters/rule"
             },
             {
              "$ref": "#/components/parameters/tolerance"
             },
             {
              "$ref": "#/components/parameters/skip_locked"
             }
            ],
            "requestBody": {
             "required": true,
             "content": {
              "application/json": {
               "schema": {
                "anyOf": [
                 {
                  "$ref": "#/components/schemas/HitTestJob"
                 },
                 {
                  "$ref": "#/components/schemas/HitTestBatch"
                 }
                ]
               }
              }
             }
            },
            "responses": {
             "200": {
              "description": "The answer (a batch answers {results} in order, a failed job as {error: problem}).",
              "content": {
               "application/json": {
                "schema": {
                 "anyOf": [
                  {
                   "$ref": "#/components/schemas/Hits"
                  },
                  {
                   "$ref": "#/components/schemas/HitTestBatchAnswer"
                  }
                 ]
                }
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/400"
             },
             "401": {
              "$ref": "#/components/responses/401"
             },
             "413": {
              "$ref": "#/components/responses/413"
             },
             "415": {
              "$ref": "#/components/responses/415"
             },
             "422": {
              "$ref": "#/components/responses/422"
             },
             "503": {
              "$ref": "#/components/responses/503"
             }
            }
           }
          },
          "/v1/duplicate": {
           "post": {
            "operationId": "duplicate",
            "summary": "Copies of regions with fresh ids",
            "description": "labelkit duplicate: move, grid, copy all or paste onto another size. Options may also be given as query parameters (the job's fields win).",
            "parameters": [
             {
              "$ref": "#/components/parameters/id"
             },
             {
              "$ref": "#/components/parameters/dx"
             },
             {
              "$ref": "#/components/parameters/dy"
             },
             {
              "$ref": "#/components/parameters/percent"
             },
             {
              "$ref": "#/components/parameters/grid"
             },
             {
              "$ref": "#/components/parameters/link_parent"
             },
             {
              "$ref": "#/components/parameters/paste_width"
             },
             {
              "$ref": "#/components/parameters/paste_height"
             },
             {
              "$ref": "#/components/parameters/keep"
             },
             {
              "$ref": "#/components/parameters/clip"
             },
             {
              "$ref": "#/components/parameters/seed"
             }
            ],
            "requestBody": {
             "required": true,
             "content": {
              "application/json": {
               "schema": {
                "anyOf": [
                 {
                  "$ref": "#/components/schemas/DuplicateJob"
                 },
                 {
                  "$ref": "#/components/schemas/DuplicateBatch"
                 }
                ]
               }
              }
             }
            },
            "responses": {
             "200": {
              "description": "The answer (a batch answers {results} in order, a failed job as {error: problem}).",
              "content": {
               "application/json": {
                "schema": {
                 "anyOf": [
                  {
                   "$ref": "#/components/schemas/Copies"
                  },
                  {
                   "$ref": "#/components/schemas/DuplicateBatchAnswer"
                  }
                 ]
                }
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/400"
             },
             "401": {
              "$ref": "#/components/responses/401"
             },
             "413": {
              "$ref": "#/components/responses/413"
             },
             "415": {
              "$ref": "#/components/responses/415"
             },
             "422": {
              "$ref": "#/components/responses/422"
             },
             "503": {
              "$ref": "#/components/responses/503"
             }
            }
           }
          },
          "/v1/limits": {
           "get": {
            "operationId": "limits",
            "summary": "The limits in force",
            "responses": {
             "200": {
              "description": "Limits",
              "content": {
               "application/json": {
                "schema": {
                 "type": "object",
                 "additionalProperties": {
                  "type": "integer"
                 }
                }
               }
              }
             },
             "401": {
              "$ref": "#/components/responses/401"
             }
            }
           }
          },
          "/v1/metrics": {
           "get": {
            "operationId": "metrics",
            "summary": "Request counts and latencies per route",
            "responses": {
             "200": {
              "description": "Metrics",
              "content": {
               "application/json": {
                "schema": {
                 "type": "object",
                 "required": [
                  "uptime_s",
                  "routes"
                 ],
                 "properties": {
                  "uptime_s": {
                   "type": "integer"
                  },
                  "routes": {
                   "type": "object"
                  },
                  "pool": {
                   "type": "object"
                  }
                 }
                }
               }
              }
             },
             "401": {
              "$ref": "#/components/responses/401"
             }
            }
           }
          },
          "/openapi.json": {
           "get": {
            "operationId": "openapi",
            "summary": "This document",
            "security": [],
            "responses": {
             "200": {
              "description": "OpenAPI 3.1",
              "content": {
               "application/json": {
                "schema": {
                 "type": "object"
                }
               }
              }
             }
            }
           }
          }
         },
         "components": {
          "schemas": {
           "Problem": {
            "type": "object",
            "description": "RFC 9457 problem details.",
            "required": [
             "type",
             "title",
             "status",
             "detail"
            ],
            "properties": {
             "type": {
              "type": "string"
             },
             "title": {
              "type": "string"
             },
             "status": {
              "type": "integer"
             },
             "detail": {
              "type": "string"
             },
             "limit": {
              "type": "string",
              "description": "The limit passed: body_bytes, mask_pixels, regions, vertices, points, jobs, config_bytes, queue."
             },
             "maximum": {
              "type": "integer"
             },
             "job": {
              "type": "integer",
              "description": "Index of the failed job in a batch."
             }
            }
           },
           "ItemError": {
            "type": "object",
            "required": [
             "error"
            ],
            "properties": {
             "error": {
              "$ref": "#/components/schemas/Problem"
             }
            }
           },
           "LSRLE": {
            "type": "object",
            "description": "Label Studio brush RLE: rle-pack bytes as Label Studio stores them in value.rle.",
            "required": [
             "rle",
             "width",
             "height"
            ],
            "properties": {
             "rle": {
              "type": "array",
              "items": {
               "type": "integer",
               "minimum": 0,
               "maximum": 255
              }
             },
             "width": {
              "type": "integer",
              "minimum": 1
             },
             "height": {
              "type": "integer",
              "minimum": 1
             }
            }
           },
           "LSBrushResult": {
            "type": "object",
            "description": "A Label Studio brush result: value.rle with original_width and original_height.",
            "required": [
             "value",
             "original_width",
             "original_height"
            ],
            "properties": {
             "value": {
              "type": "object",
              "required": [
               "rle"
              ],
              "properties": {
               "rle": {
                "type": "array",
                "items": {
                 "type": "integer",
                 "minimum": 0,
                 "maximum": 255
                }
               }
              }
             },
             "original_width": {
              "type": "integer",
              "minimum": 1
             },
             "original_height": {
              "type": "integer",
              "minimum": 1
             }
            }
           },
           "COCORLE": {
            "type": "object",
            "description": "COCO RLE (pycocotools): size [height, width]; counts compressed (string) or a list of run lengths (column-major).",
            "required": [
             "size",
             "counts"
            ],
            "properties": {
             "size": {
              "type": "array",
              "items": {
               "type": "integer",
               "minimum": 0
              },
              "minItems": 2,
              "maxItems": 2
             },
             "counts": {
              "oneOf": [
               {
                "type": "string"
               },
               {
                "type": "array",
                "items": {
                 "type": "integer",
                 "minimum": 0,
                 "maximum": 4294967295
                }
               }
              ]
             }
            }
           },
           "COCORLEOut": {
            "type": "object",
            "required": [
             "size",
             "counts"
            ],
            "properties": {
             "size": {
              "type": "array",
              "items": {
               "type": "integer"
              },
              "minItems": 2,
              "maxItems": 2
             },
             "counts": {
              "type": "string"
             }
            }
           },
           "PNGMask": {
            "type": "object",
            "description": "A mask PNG (8-bit; read as luma, inside = non-zero), base64.",
            "required": [
             "png"
            ],
            "properties": {
             "png": {
              "type": "string",
              "contentEncoding": "base64",
              "contentMediaType": "image/png"
             }
            }
           },
           "MaskInput": {
            "description": "A mask: a base64 PNG, a Label Studio brush RLE (or brush result) or a COCO RLE.",
            "anyOf": [
             {
              "$ref": "#/components/schemas/PNGMask"
             },
             {
              "$ref": "#/components/schemas/LSRLE"
             },
             {
              "$ref": "#/components/schemas/LSBrushResult"
             },
             {
              "$ref": "#/components/schemas/COCORLE"
             }
            ]
           },
           "RLEInput": {
            "anyOf": [
             {
              "$ref": "#/components/schemas/LSRLE"
             },
             {
              "$ref": "#/components/schemas/LSBrushResult"
             },
             {
              "$ref": "#/components/schemas/COCORLE"
             }
            ]
           },
           "LSResult": {
            "type": "object",
            "description": "One Label Studio result (rectanglelabels, ellipselabels, polygonlabels, keypointlabels, brushlabels, their plain forms or labels) with id, value (percent of original_width/original_height), original_width, original_height, hidden, readonly, as Label Studio writes them; choices, textarea, relation, ... are skipped. Fields are read as Label Studio's own reader does (a malformed value is an error naming the region; unknown fields are kept by duplicate).",
            "required": [
             "type"
            ],
            "properties": {
             "type": {
              "type": "string"
             }
            }
           },
           "Regions": {
            "description": "Label Studio results: a list, one result, {original_width, original_height, regions}, an annotation {result} or a task (its first annotation).",
            "anyOf": [
             {
              "type": "array",
              "items": {
               "$ref": "#/components/schemas/LSResult"
              }
             },
             {
              "$ref": "#/components/schemas/RegionsObject"
             },
             {
              "$ref": "#/components/schemas/LSResult"
             }
            ]
           },
           "RegionsObject": {
            "type": "object",
            "description": "Give regions or result, not both.",
            "properties": {
             "original_width": {
              "type": "integer",
              "minimum": 1
             },
             "original_height": {
              "type": "integer",
              "minimum": 1
             },
             "regions": {
              "type": "array",
              "items": {
               "$ref": "#/components/schemas/LSResult"
              }
             },
             "result": {
              "type": "array",
              "items": {
               "$ref": "#/components/schemas/LSResult"
              }
             }
            }
           },
           "MaskFormat": {
            "type": "string",
            "enum": [
             "ls",
             "coco",
             "png"
            ]
           },
           "RLEFormat": {
            "type": "string",
            "enum": [
             "ls",
             "coco"
            ]
           },
           "Rule": {
            "type": "string",
            "enum": [
             "evenodd",
             "nonzero"
            ]
           },
           "RasterizeJob": {
            "description": "Regions plus options (fields of the object form; query parameters for a bare list).",
            "anyOf": [
             {
              "type": "array",
              "items": {
               "$ref": "#/components/schemas/LSResult"
              }
             },
             {
              "allOf": [
               {
                "anyOf": [
                 {
                  "$ref": "#/components/schemas/RegionsObject"
                 },
                 {
                  "$ref": "#/components/schemas/LSResult"
                 }
                ]
               },
               {
                "type": "object",
                "properties": {
                 "format": {
                  "type": "string",
                  "enum": [
                   "ls",
                   "coco",
                   "png",
                   "semantic"
                  ],
                  "description": "semantic: one grey PNG of class ids + 1 from config (0 = background); needs config"
                 },
                 "rule": {
                  "$ref": "#/components/schemas/Rule"
                 },
                 "per_region": {
                  "type": "boolean"
                 },
                 "config": {
                  "type": "string",
                  "description": "The project's labeling config XML (also at batch level): every region's from_name and labels are checked against it; at most config_bytes bytes"
                 }
                }
               }
              ]
             }
            ]
           },
           "MaskAnswer": {
            "description": "A mask as Label Studio RLE, COCO RLE or base64 PNG.",
            "anyOf": [
             {
              "$ref": "#/components/schemas/LSRLE"
             },
             {
              "$ref": "#/components/schemas/COCORLEOut"
             },
             {
              "$ref": "#/components/schemas/PNGMask"
             }
            ]
           },
           "PerRegion": {
            "type": "object",
            "required": [
             "width",
             "height",
             "regions"
            ],
            "properties": {
             "width": {
              "type": "integer"
             },
             "height": {
              "type": "integer"
             },
             "regions": {
              "type": "array",
              "items": {
               "allOf": [
                {
                 "$ref": "#/components/schemas/MaskAnswer"
                },
                {
                 "type": "object",
                 "required": [
                  "id"
                 ],
                 "properties": {
                  "id": {
                   "type": "string"
                  }
                 }
                }
               ]
              }
             }
            }
           },
           "RasterizeAnswer": {
            "anyOf": [
             {
              "$ref": "#/components/schemas/MaskAnswer"
             },
             {
              "$ref": "#/components/schemas/PerRegion"
             }
            ]
           },
           "EncodeJob": {
            "anyOf": [
             {
              "allOf": [
               {
                "$ref": "#/components/schemas/MaskInput"
               },
               {
                "type": "object",
                "properties": {
                 "format": {
                  "$ref": "#/components/schemas/RLEFormat"
                 },
                 "threshold": {
                  "type": "integer",
                  "minimum": 0,
                  "maximum": 255
                 }
                }
               }
              ]
             },
             {
              "type": "object",
              "description": "COCO polygons in pixels, rasterized as pycocotools frPyObjects (parts unioned).",
              "required": [
               "width",
               "height",
               "polygons"
              ],
              "properties": {
               "width": {
                "type": "integer",
                "minimum": 1
               },
               "height": {
                "type": "integer",
                "minimum": 1
               },
               "format": {
                "const": "coco"
               },
               "polygons": {
                "type": "array",
                "items": {
                 "type": "array",
                 "items": {
                  "type": "number"
                 }
                }
               }
              }
             }
            ]
           },
           "RLEAnswer": {
            "anyOf": [
             {
              "$ref": "#/components/schemas/LSRLE"
             },
             {
              "$ref": "#/components/schemas/COCORLEOut"
             }
            ]
           },
           "DecodeJob": {
            "allOf": [
             {
              "$ref": "#/components/schemas/RLEInput"
             },
             {
              "type": "object",
              "properties": {
               "format": {
                "$ref": "#/components/schemas/RLEFormat"
               }
              }
             }
            ]
           },
           "ConvertJob": {
            "allOf": [
             {
              "$ref": "#/components/schemas/RLEInput"
             },
             {
              "type": "object",
              "properties": {
               "from": {
                "$ref": "#/components/schemas/RLEFormat"
               },
               "to": {
                "$ref": "#/components/schemas/RLEFormat"
               }
              }
             }
            ]
           },
           "MeasureJob": {
            "type": "object",
            "required": [
             "masks"
            ],
            "properties": {
             "masks": {
              "type": "array",
              "items": {
               "$ref": "#/components/schemas/MaskInput"
              }
             },
             "gt": {
              "type": "array",
              "items": {
               "$ref": "#/components/schemas/MaskInput"
              }
             },
             "iscrowd": {
              "type": "array",
              "items": {
               "anyOf": [
                {
                 "type": "boolean"
                },
                {
                 "type": "integer",
                 "enum": [
                  0,
                  1
                 ]
                }
               ]
              }
             },
             "union": {
              "type": "boolean"
             },
             "intersection": {
              "type": "boolean"
             }
            }
           },
           "MaskStats": {
            "type": "object",
            "required": [
             "area",
             "bbox"
            ],
            "properties": {
             "area": {
              "type": "integer"
             },
             "bbox": {
              "type": "array",
              "items": {
               "type": "number"
              },
              "minItems": 4,
              "maxItems": 4
             }
            }
           },
           "Merged": {
            "allOf": [
             {
              "$ref": "#/components/schemas/COCORLEOut"
             },
             {
              "type": "object",
              "required": [
               "area"
              ],
              "properties": {
               "area": {
                "type": "integer"
               }
              }
             }
            ]
           },
           "MeasureAnswer": {
            "type": "object",
            "required": [
             "masks"
            ],
            "properties": {
             "masks": {
              "type": "array",
              "items": {
               "$ref": "#/components/schemas/MaskStats"
              }
             },
             "gt": {
              "type": "array",
              "items": {
               "$ref": "#/components/schemas/MaskStats"
              }
             },
             "iou": {
              "type": "array",
              "items": {
               "type": "array",
               "items": {
                "type": "number"
               }
              }
             },
             "union": {
              "$ref": "#/components/schemas/Merged"
             },
             "intersection": {
              "$ref": "#/components/schemas/Merged"
             }
            }
           },
           "VectorizeJob": {
            "allOf": [
             {
              "$ref": "#/components/schemas/MaskInput"
             },
             {
              "type": "object",
              "properties": {
               "simplify": {
                "type": "number",
                "minimum": 0
               },
               "percent": {
                "type": "boolean"
               }
              }
             }
            ]
           },
           "Ring": {
            "type": "array",
            "items": {
             "type": "array",
             "items": {
              "type": "number"
             },
             "minItems": 2,
             "maxItems": 2
            }
           },
           "Contours": {
            "type": "object",
            "required": [
             "width",
             "height",
             "contours"
            ],
            "properties": {
             "width": {
              "type": "integer"
             },
             "height": {
              "type": "integer"
             },
             "contours": {
              "type": "array",
              "items": {
               "type": "object",
               "required": [
                "outer",
                "holes"
               ],
               "properties": {
                "outer": {
                 "$ref": "#/components/schemas/Ring"
                },
                "holes": {
                 "type": "array",
                 "items": {
                  "$ref": "#/components/schemas/Ring"
                 }
                }
               }
              }
             }
            }
           },
           "Point": {
            "anyOf": [
             {
              "type": "object",
              "required": [
               "x",
               "y"
              ],
              "properties": {
               "x": {
                "type": "number"
               },
               "y": {
                "type": "number"
               }
              }
             },
             {
              "type": "array",
              "items": {
               "type": "number"
              },
              "minItems": 2,
              "maxItems": 2
             }
            ]
           },
           "Stroke": {
            "type": "object",
            "required": [
             "points"
            ],
            "properties": {
             "points": {
              "description": "Pixels: a flat [x1, y1, x2, y2, ...] list (Label Studio touches), [[x, y], ...] or [{x, y}, ...].",
              "anyOf": [
               {
                "type": "array",
                "items": {
                 "type": "number"
                }
               },
               {
                "type": "array",
                "items": {
                 "$ref": "#/components/schemas/Point"
                }
               }
              ]
             },
             "size": {
              "type": "number",
              "minimum": 0,
              "description": "Brush diameter in pixels (or strokeWidth)."
             },
             "strokeWidth": {
              "type": "number",
              "minimum": 0
             },
             "mode": {
              "type": "string",
              "enum": [
               "add",
               "erase"
              ]
             },
             "compositeOperation": {
              "type": "string",
              "enum": [
               "source-over",
               "destination-out"
              ]
             }
            }
           },
           "BrushJob": {
            "type": "object",
            "required": [
             "strokes"
            ],
            "properties": {
             "width": {
              "type": "integer",
              "minimum": 1
             },
             "height": {
              "type": "integer",
              "minimum": 1
             },
             "strokes": {
              "type": "array",
              "items": {
               "$ref": "#/components/schemas/Stroke"
              }
             },
             "base": {
              "$ref": "#/components/schemas/MaskInput"
             },
             "format": {
              "$ref": "#/components/schemas/MaskFormat"
             }
            }
           },
           "HitTestJob": {
            "allOf": [
             {
              "$ref": "#/components/schemas/RegionsObject"
             },
             {
              "type": "object",
              "properties": {
               "points": {
                "type": "array",
                "items": {
                 "$ref": "#/components/schemas/Point"
                }
               },
               "queries": {
                "type": "array",
                "items": {
                 "$ref": "#/components/schemas/Point"
                }
               },
               "rule": {
                "$ref": "#/components/schemas/Rule"
               },
               "tolerance": {
                "type": "number",
                "minimum": 0
               },
               "skip_locked": {
                "type": "boolean"
               }
              }
             }
            ]
           },
           "Hits": {
            "type": "array",
            "items": {
             "type": "object",
             "required": [
              "hits"
             ],
             "properties": {
              "hits": {
               "type": "array",
               "items": {
                "type": "string"
               }
              }
             }
            }
           },
           "DuplicateOptions": {
            "type": "object",
            "properties": {
             "id": {
              "type": "string"
             },
             "dx": {
              "type": "number"
             },
             "dy": {
              "type": "number"
             },
             "percent": {
              "type": "boolean"
             },
             "grid": {
              "type": "string",
              "pattern": "^[0-9]+[xX][0-9]+$"
             },
             "link_parent": {
              "type": "boolean"
             },
             "paste_width": {
              "type": "integer",
              "minimum": 1,
              "maximum": 2147483647
             },
             "paste_height": {
              "type": "integer",
              "minimum": 1,
              "maximum": 2147483647
             },
             "keep": {
              "type": "string",
              "enum": [
               "percent",
               "pixels"
              ]
             },
             "clip": {
              "type": "boolean"
             },
             "seed": {
              "type": "integer",
              "minimum": 0
             }
            }
           },
           "DuplicateJob": {
            "anyOf": [
             {
              "type": "array",
              "items": {
               "$ref": "#/components/schemas/LSResult"
              }
             },
             {
              "allOf": [
               {
                "type": "object",
                "properties": {
                 "regions": {
                  "type": "array",
                  "items": {
                   "$ref": "#/components/schemas/LSResult"
                  }
                 },
                 "result": {
                  "type": "array",
                  "items": {
                   "$ref": "#/components/schemas/LSResult"
                  }
                 }
                }
               },
               {
                "$ref": "#/components/schemas/DuplicateOptions"
               }
              ]
             }
            ]
           },
           "Copies": {
            "type": "array",
            "items": {
             "type": "object"
            }
           },
           "RasterizeBatch": {
            "type": "object",
            "required": [
             "jobs"
            ],
            "description": "A batch: every job answered in order; the other fields are defaults for every job. Jobs (and defaults) are checked one by one: an invalid job fails alone, as {error: problem} in its place.",
            "properties": {
             "jobs": {
              "type": "array",
              "items": {
               "description": "A job, as the single-job body (see the other alternative)."
              }
             }
            }
           },
           "RasterizeBatchAnswer": {
            "type": "object",
            "required": [
             "results"
            ],
            "properties": {
             "results": {
              "type": "array",
              "items": {
               "anyOf": [
                {
                 "$ref": "#/components/schemas/RasterizeAnswer"
                },
                {
                 "$ref": "#/components/schemas/ItemError"
                }
               ]
              }
             }
            }
           },
           "RleEncodeBatch": {
            "type": "object",
            "required": [
             "jobs"
            ],
            "description": "A batch: every job answered in order; the other fields are defaults for every job. Jobs (and defaults) are checked one by one: an invalid job fails alone, as {error: problem} in its place.",
            "properties": {
             "jobs": {
              "type": "array",
              "items": {
               "description": "A job, as the single-job body (see the other alternative)."
              }
             }
            }
           },
           "RleEncodeBatchAnswer": {
            "type": "object",
            "required": [
             "results"
            ],
            "properties": {
             "results": {
              "type": "array",
              "items": {
               "anyOf": [
                {
                 "$ref": "#/components/schemas/RLEAnswer"
                },
                {
                 "$ref": "#/components/schemas/ItemError"
                }
               ]
              }
             }
            }
           },
           "RleDecodeBatch": {
            "type": "object",
            "required": [
             "jobs"
            ],
            "description": "A batch: every job answered in order; the other fields are defaults for every job. Jobs (and defaults) are checked one by one: an invalid job fails alone, as {error: problem} in its place.",
            "properties": {
             "jobs": {
              "type": "array",
              "items": {
               "description": "A job, as the single-job body (see the other alternative)."
              }
             }
            }
           },
           "RleDecodeBatchAnswer": {
            "type": "object",
            "required": [
             "results"
            ],
            "properties": {
             "results": {
              "type": "array",
              "items": {
               "anyOf": [
                {
                 "$ref": "#/components/schemas/PNGMask"
                },
                {
                 "$ref": "#/components/schemas/ItemError"
                }
               ]
              }
             }
            }
           },
           "RleConvertBatch": {
            "type": "object",
            "required": [
             "jobs"
            ],
            "description": "A batch: every job answered in order; the other fields are defaults for every job. Jobs (and defaults) are checked one by one: an invalid job fails alone, as {error: problem} in its place.",
            "properties": {
             "jobs": {
              "type": "array",
              "items": {
               "description": "A job, as the single-job body (see the other alternative)."
              }
             }
            }
           },
           "RleConvertBatchAnswer": {
            "type": "object",
            "required": [
             "results"
            ],
            "properties": {
             "results": {
              "type": "array",
              "items": {
               "anyOf": [
                {
                 "$ref": "#/components/schemas/RLEAnswer"
                },
                {
                 "$ref": "#/components/schemas/ItemError"
                }
               ]
              }
             }
            }
           },
           "MasksMeasureBatch": {
            "type": "object",
            "required": [
             "jobs"
            ],
            "description": "A batch: every job answered in order; the other fields are defaults for every job. Jobs (and defaults) are checked one by one: an invalid job fails alone, as {error: problem} in its place.",
            "properties": {
             "jobs": {
              "type": "array",
              "items": {
               "description": "A job, as the single-job body (see the other alternative)."
              }
             }
            }
           },
           "MasksMeasureBatchAnswer": {
            "type": "object",
            "required": [
             "results"
            ],
            "properties": {
             "results": {
              "type": "array",
              "items": {
               "anyOf": [
                {
                 "$ref": "#/components/schemas/MeasureAnswer"
                },
                {
                 "$ref": "#/components/schemas/ItemError"
                }
               ]
              }
             }
            }
           },
           "VectorizeBatch": {
            "type": "object",
            "required": [
             "jobs"
            ],
            "description": "A batch: every job answered in order; the other fields are defaults for every job. Jobs (and defaults) are checked one by one: an invalid job fails alone, as {error: problem} in its place.",
            "properties": {
             "jobs": {
              "type": "array",
              "items": {
               "description": "A job, as the single-job body (see the other alternative)."
              }
             }
            }
           },
           "VectorizeBatchAnswer": {
            "type": "object",
            "required": [
             "results"
            ],
            "properties": {
             "results": {
              "type": "array",
              "items": {
               "anyOf": [
                {
                 "$ref": "#/components/schemas/Contours"
                },
                {
                 "$ref": "#/components/schemas/ItemError"
                }
               ]
              }
             }
            }
           },
           "BrushBatch": {
            "type": "object",
            "required": [
             "jobs"
            ],
            "description": "A batch: every job answered in order; the other fields are defaults for every job. Jobs (and defaults) are checked one by one: an invalid job fails alone, as {error: problem} in its place.",
            "properties": {
             "jobs": {
              "type": "array",
              "items": {
               "description": "A job, as the single-job body (see the other alternative)."
              }
             }
            }
           },
           "BrushBatchAnswer": {
            "type": "object",
            "required": [
             "results"
            ],
            "properties": {
             "results": {
              "type": "array",
              "items": {
               "anyOf": [
                {
                 "$ref": "#/components/schemas/MaskAnswer"
                },
                {
                 "$ref": "#/components/schemas/ItemError"
                }
               ]
              }
             }
            }
           },
           "HitTestBatch": {
            "type": "object",
            "required": [
             "jobs"
            ],
            "description": "A batch: every job answered in order; the other fields are defaults for every job. Jobs (and defaults) are checked one by one: an invalid job fails alone, as {error: problem} in its place.",
            "properties": {
             "jobs": {
              "type": "array",
              "items": {
               "description": "A job, as the single-job body (see the other alternative)."
              }
             }
            }
           },
           "HitTestBatchAnswer": {
            "type": "object",
            "required": [
             "results"
            ],
            "properties": {
             "results": {
              "type": "array",
              "items": {
               "anyOf": [
                {
                 "$ref": "#/components/schemas/Hits"
                },
                {
                 "$ref": "#/components/schemas/ItemError"
                }
               ]
              }
             }
            }
           },
           "DuplicateBatch": {
            "type": "object",
            "required": [
             "jobs"
            ],
            "description": "A batch: every job answered in order; the other fields are defaults for every job. Jobs (and defaults) are checked one by one: an invalid job fails alone, as {error: problem} in its place.",
            "properties": {
             "jobs": {
              "type": "array",
              "items": {
               "description": "A job, as the single-job body (see the other alternative)."
              }
             }
            }
           },
           "DuplicateBatchAnswer": {
            "type": "object",
            "required": [
             "results"
            ],
            "properties": {
             "results": {
              "type": "array",
              "items": {
               "anyOf": [
                {
                 "$ref": "#/components/schemas/Copies"
                },
                {
                 "$ref": "#/components/schemas/ItemError"
                }
               ]
              }
             }
            }
           }
          },
          "parameters": {
           "format": {
            "name": "format",
            "in": "query",
            "required": false,
            "schema": {
             "type": "string",
             "enum": [
              "ls",
              "coco",
              "png"
             ]
            }
           },
           "rule": {
            "name": "rule",
            "in": "query",
            "required": false,
            "schema": {
             "type": "string",
             "enum": [
              "evenodd",
              "nonzero"
             ]
            }
           },
           "per_region": {
            "name": "per_region",
            "in": "query",
            "required": false,
            "schema": {
             "type": "boolean"
            }
           },
           "threshold": {
            "name": "threshold",
            "in": "query",
            "required": false,
            "schema": {
             "type": "integer",
             "minimum": 0,
             "maximum": 255
            }
           },
           "from": {
            "name": "from",
            "in": "query",
            "required": false,
            "schema": {
             "type": "string",
             "enum": [
              "ls",
              "coco"
             ]
            }
           },
           "to": {
            "name": "to",
            "in": "query",
            "required": false,
            "schema": {
             "type": "string",
             "enum": [
              "ls",
              "coco"
             ]
            }
           },
           "union": {
            "name": "union",
            "in": "query",
            "required": false,
            "schema": {
             "type": "boolean"
            }
           },
           "intersection": {
            "name": "intersection",
            "in": "query",
            "required": false,
            "schema": {
             "type": "boolean"
            }
           },
           "simplify": {
            "name": "simplify",
            "in": "query",
            "required": false,
            "schema": {
             "type": "number",
             "minimum": 0
            }
           },
           "percent": {
            "name": "percent",
            "in": "query",
            "required": false,
            "schema": {
             "type": "boolean"
            }
           },
           "tolerance": {
            "name": "tolerance",
            "in": "query",
            "required": false,
            "schema": {
             "type": "number",
             "minimum": 0
            }
           },
           "skip_locked": {
            "name": "skip_locked",
            "in": "query",
            "required": false,
            "schema": {
             "type": "boolean"
            }
           },
           "id": {
            "name": "id",
            "in": "query",
            "required": false,
            "schema": {
             "type": "string"
            }
           },
           "dx": {
            "name": "dx",
            "in": "query",
            "required": false,
            "schema": {
             "type": "number"
            }
           },
           "dy": {
            "name": "dy",
            "in": "query",
            "required": false,
            "schema": {
             "type": "number"
            }
           },
           "grid": {
            "name": "grid",
            "in": "query",
            "required": false,
            "schema": {
             "type": "string",
             "pattern": "^[0-9]+[xX][0-9]+$"
            }
           },
           "link_parent": {
            "name": "link_parent",
            "in": "query",
            "required": false,
            "schema": {
             "type": "boolean"
            }
           },
           "paste_width": {
            "name": "paste_width",
            "in": "query",
            "required": false,
            "schema": {
             "type": "integer",
             "minimum": 1,
             "maximum": 2147483647
            }
           },
           "paste_height": {
            "name": "paste_height",
            "in": "query",
            "required": false,
            "schema": {
             "type": "integer",
             "minimum": 1,
             "maximum": 2147483647
            }
           },
           "keep": {
            "name": "keep",
            "in": "query",
            "required": false,
            "schema": {
             "type": "string",
             "enum": [
              "percent",
              "pixels"
             ]
            }
           },
           "clip": {
            "name": "clip",
            "in": "query",
            "required": false,
            "schema": {
             "type": "boolean"
            }
           },
           "seed": {
            "name": "seed",
            "in": "query",
            "required": false,
            "schema": {
             "type": "integer",
             "minimum": 0
            }
           }
          },
          "securitySchemes": {
           "bearerAuth": {
            "type": "http",
            "scheme": "bearer",
            "description": "Needed when the server runs with --token (or LABELKIT_TOKEN)."
           }
          },
          "responses": {
           "400": {
            "description": "The body is not JSON.",
            "content": {
             "application/problem+json": {
              "schema": {
               "$ref": "#/components/schemas/Problem"
              }
             }
            }
           },
           "401": {
            "description": "A token is configured and the request does not carry it.",
            "content": {
             "application/problem+json": {
              "schema": {
               "$ref": "#/components/schemas/Problem"
              }
             }
            },
            "headers": {
             "WWW-Authenticate": {
              "schema": {
               "type": "string"
              }
             }
            }
           },
           "413": {
            "description": "The body is over the body_bytes limit.",
            "content": {
             "application/problem+json": {
              "schema": {
               "$ref": "#/components/schemas/Problem"
              }
             }
            }
           },
           "415": {
            "description": "A PNG body sent to an endpoint that takes JSON.",
            "content": {
             "application/problem+json": {
              "schema": {
               "$ref": "#/components/schemas/Problem"
              }
             }
            }
           },
           "422": {
            "description": "Invalid input, or over a limit (mask_pixels, regions, vertices, points, jobs).",
            "content": {
             "application/problem+json": {
              "schema": {
               "$ref": "#/components/schemas/Problem"
              }
             }
            }
           },
           "503": {
            "description": "The work queue is full.",
            "content": {
             "application/problem+json": {
              "schema": {
               "$ref": "#/components/schemas/Problem"
              }
             }
            },
            "headers": {
             "Retry-After": {
              "schema": {
               "type": "integer"
              }
             }
            }
           }
          }
         }
        }
        """#
}
