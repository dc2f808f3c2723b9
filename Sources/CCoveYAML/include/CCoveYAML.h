#ifndef CCOVE_YAML_H
#define CCOVE_YAML_H

#include <stddef.h>
#include <stdint.h>

/*
 * libyaml's event stream as flat data. Yams builds a tree of its own nodes (one class
 * instance per event and per tag, Foundation string decoding per scalar), which the
 * loader then converts again; reading the events directly into plain integers and one
 * byte buffer lets the loader build its tree once, in parallel. The libyaml used is the
 * one Yams vendors (its CYaml target), so there is a single copy in the binary.
 *
 * Strings (scalar values, anchors, alias names, tags, error texts) are byte ranges in the
 * document's byte buffer; a range with a negative start is absent.
 */

enum {
    COVE_YAML_SCALAR = 1,
    COVE_YAML_ALIAS = 2,
    COVE_YAML_SEQUENCE_START = 3,
    COVE_YAML_SEQUENCE_END = 4,
    COVE_YAML_MAPPING_START = 5,
    COVE_YAML_MAPPING_END = 6,
    COVE_YAML_DOCUMENT_START = 7,
    COVE_YAML_DOCUMENT_END = 8,
};

/* One event. `style` is libyaml's scalar style (1: plain). `tag` is the explicit tag, or
 * "tag:yaml.org,2002:str" for a quoted scalar without one (as Yams reports it). */
typedef struct cove_yaml_event {
    int32_t kind;
    int32_t style;
    int32_t line;   /* 1-based */
    int32_t column; /* 1-based, in characters */
    int32_t text;   /* scalar value, or the anchor an alias names */
    int32_t text_length;
    int32_t anchor;
    int32_t anchor_length;
    int32_t tag;
    int32_t tag_length;
} cove_yaml_event;

enum {
    COVE_YAML_OK = 0,
    COVE_YAML_MEMORY_ERROR = 1,
    COVE_YAML_READER_ERROR = 2,
    COVE_YAML_SCANNER_ERROR = 3,
    COVE_YAML_PARSER_ERROR = 4,
    COVE_YAML_TOO_LARGE = 5,
};

/* Why parsing stopped; the events before the error are kept. Lines and columns 1-based. */
typedef struct cove_yaml_error {
    int32_t kind;
    int32_t problem;
    int32_t problem_length;
    int32_t problem_line;
    int32_t problem_column;
    int64_t problem_offset; /* byte offset, for reader errors */
    int32_t context;        /* negative: no context */
    int32_t context_length;
    int32_t context_line;
    int32_t context_column;
} cove_yaml_error;

typedef struct cove_yaml_document cove_yaml_document;

/* Parses the stream up to the end of its second document (a compose file holds one;
 * that is enough to report a second). Returns NULL only when memory runs out. */
cove_yaml_document *cove_yaml_parse(const char *text, size_t length);
size_t cove_yaml_event_count(const cove_yaml_document *document);
size_t cove_yaml_byte_count(const cove_yaml_document *document);
/* Copies the events (event_count of them) and the byte buffer (byte_count bytes) out. */
void cove_yaml_copy_events(const cove_yaml_document *document, cove_yaml_event *events);
void cove_yaml_copy_bytes(const cove_yaml_document *document, uint8_t *bytes);
void cove_yaml_get_error(const cove_yaml_document *document, cove_yaml_error *error);
void cove_yaml_free(cove_yaml_document *document);

/* Whether `text` holds the bytes of `needle` (memchr and memcmp: the loader scans whole
 * files for a tab or a variable name before parsing them). */
int cove_yaml_contains(const char *text, size_t length, const char *needle, size_t needle_length);

#endif
