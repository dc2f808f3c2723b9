#include "CCoveYAML.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "yaml.h"

struct cove_yaml_document {
    cove_yaml_event *events;
    size_t event_count, event_capacity;
    uint8_t *bytes;
    size_t byte_count, byte_capacity;
    cove_yaml_error error;
};

static const char str_tag[] = "tag:yaml.org,2002:str";

/* Appends bytes to the buffer; returns their offset, or -1 when out of memory or past
 * what an int32 offset can address. */
static int32_t add_bytes(cove_yaml_document *d, const void *data, size_t length) {
    if (d->byte_count + length > INT32_MAX) return -1;
    if (d->byte_count + length > d->byte_capacity) {
        size_t capacity = d->byte_capacity ? d->byte_capacity : 4096;
        while (capacity < d->byte_count + length) capacity *= 2;
        uint8_t *grown = realloc(d->bytes, capacity);
        if (!grown) return -1;
        d->bytes = grown;
        d->byte_capacity = capacity;
    }
    int32_t offset = (int32_t)d->byte_count;
    if (length) memcpy(d->bytes + d->byte_count, data, length);
    d->byte_count += length;
    return offset;
}

/* Adds a NUL-terminated string (NULL: absent). Returns 0 on failure. */
static int add_string(cove_yaml_document *d, const void *s, int32_t *offset, int32_t *length) {
    *offset = -1;
    *length = 0;
    if (!s) return 1;
    size_t n = strlen(s);
    *offset = add_bytes(d, s, n);
    *length = (int32_t)n;
    return *offset >= 0;
}

static cove_yaml_event *add_event(cove_yaml_document *d) {
    if (d->event_count == d->event_capacity) {
        size_t capacity = d->event_capacity ? d->event_capacity * 2 : 1024;
        cove_yaml_event *grown = realloc(d->events, capacity * sizeof *grown);
        if (!grown) return NULL;
        d->events = grown;
        d->event_capacity = capacity;
    }
    cove_yaml_event *e = &d->events[d->event_count++];
    memset(e, 0, sizeof *e);
    e->text = e->anchor = e->tag = -1;
    return e;
}

static void set_parser_error(cove_yaml_document *d, const yaml_parser_t *parser) {
    cove_yaml_error *error = &d->error;
    switch (parser->error) {
    case YAML_READER_ERROR: error->kind = COVE_YAML_READER_ERROR; break;
    case YAML_SCANNER_ERROR: error->kind = COVE_YAML_SCANNER_ERROR; break;
    case YAML_PARSER_ERROR: error->kind = COVE_YAML_PARSER_ERROR; break;
    default: error->kind = COVE_YAML_MEMORY_ERROR; return;
    }
    if (!add_string(d, parser->problem, &error->problem, &error->problem_length)
        || !add_string(d, parser->context, &error->context, &error->context_length)) {
        error->kind = COVE_YAML_MEMORY_ERROR;
        return;
    }
    error->problem_line = (int32_t)parser->problem_mark.line + 1;
    error->problem_column = (int32_t)parser->problem_mark.column + 1;
    error->problem_offset = (int64_t)parser->problem_offset;
    error->context_line = (int32_t)parser->context_mark.line + 1;
    error->context_column = (int32_t)parser->context_mark.column + 1;
}

/* Records one libyaml event; returns 0 when out of memory. */
static int record(cove_yaml_document *d, const yaml_event_t *event) {
    int kind;
    switch (event->type) {
    case YAML_SCALAR_EVENT: kind = COVE_YAML_SCALAR; break;
    case YAML_ALIAS_EVENT: kind = COVE_YAML_ALIAS; break;
    case YAML_SEQUENCE_START_EVENT: kind = COVE_YAML_SEQUENCE_START; break;
    case YAML_SEQUENCE_END_EVENT: kind = COVE_YAML_SEQUENCE_END; break;
    case YAML_MAPPING_START_EVENT: kind = COVE_YAML_MAPPING_START; break;
    case YAML_MAPPING_END_EVENT: kind = COVE_YAML_MAPPING_END; break;
    case YAML_DOCUMENT_START_EVENT: kind = COVE_YAML_DOCUMENT_START; break;
    case YAML_DOCUMENT_END_EVENT: kind = COVE_YAML_DOCUMENT_END; break;
    default: return 1; /* stream start and end carry nothing */
    }
    if (event->start_mark.line >= INT32_MAX || event->start_mark.column >= INT32_MAX) return 0;
    cove_yaml_event *e = add_event(d);
    if (!e) return 0;
    e->kind = kind;
    e->line = (int32_t)event->start_mark.line + 1;
    e->column = (int32_t)event->start_mark.column + 1;
    switch (event->type) {
    case YAML_SCALAR_EVENT:
        e->style = (int32_t)event->data.scalar.style;
        if (event->data.scalar.length > INT32_MAX) return 0;
        e->text = add_bytes(d, event->data.scalar.value, event->data.scalar.length);
        e->text_length = (int32_t)event->data.scalar.length;
        if (e->text < 0) return 0;
        if (!add_string(d, event->data.scalar.anchor, &e->anchor, &e->anchor_length)) return 0;
        if (event->data.scalar.quoted_implicit == 1) return add_string(d, str_tag, &e->tag, &e->tag_length);
        return add_string(d, event->data.scalar.tag, &e->tag, &e->tag_length);
    case YAML_ALIAS_EVENT:
        return add_string(d, event->data.alias.anchor, &e->text, &e->text_length);
    case YAML_SEQUENCE_START_EVENT:
        if (!add_string(d, event->data.sequence_start.anchor, &e->anchor, &e->anchor_length)) return 0;
        if (event->data.sequence_start.implicit) return 1;
        return add_string(d, event->data.sequence_start.tag, &e->tag, &e->tag_length);
    case YAML_MAPPING_START_EVENT:
        if (!add_string(d, event->data.mapping_start.anchor, &e->anchor, &e->anchor_length)) return 0;
        if (event->data.mapping_start.implicit) return 1;
        return add_string(d, event->data.mapping_start.tag, &e->tag, &e->tag_length);
    default:
        return 1;
    }
}

cove_yaml_document *cove_yaml_parse(const char *text, size_t length) {
    cove_yaml_document *d = calloc(1, sizeof *d);
    if (!d) return NULL;
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        d->error.kind = COVE_YAML_MEMORY_ERROR;
        return d;
    }
    yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, length);
    int documents = 0;
    for (;;) {
        yaml_event_t event;
        if (!yaml_parser_parse(&parser, &event)) {
            set_parser_error(d, &parser);
            break;
        }
        /* A compose file holds one document: reading stops after a second one. */
        if (event.type == YAML_DOCUMENT_END_EVENT) documents++;
        int done = event.type == YAML_STREAM_END_EVENT || documents == 2;
        int ok = record(d, &event);
        yaml_event_delete(&event);
        if (!ok) {
            d->error.kind = COVE_YAML_TOO_LARGE;
            break;
        }
        if (done) break;
    }
    yaml_parser_delete(&parser);
    return d;
}

size_t cove_yaml_event_count(const cove_yaml_document *d) { return d->event_count; }

size_t cove_yaml_byte_count(const cove_yaml_document *d) { return d->byte_count; }

void cove_yaml_copy_events(const cove_yaml_document *d, cove_yaml_event *events) {
    if (d->event_count) memcpy(events, d->events, d->event_count * sizeof *events);
}

void cove_yaml_copy_bytes(const cove_yaml_document *d, uint8_t *bytes) {
    if (d->byte_count) memcpy(bytes, d->bytes, d->byte_count);
}

void cove_yaml_get_error(const cove_yaml_document *d, cove_yaml_error *error) { *error = d->error; }

void cove_yaml_free(cove_yaml_document *d) {
    if (!d) return;
    free(d->events);
    free(d->bytes);
    free(d);
}

int cove_yaml_contains(const char *text, size_t length, const char *needle, size_t needle_length) {
    if (needle_length == 0) return 1;
    const char *end = text + length;
    const char *p = text;
    while ((size_t)(end - p) >= needle_length) {
        p = memchr(p, needle[0], (size_t)(end - p) - needle_length + 1);
        if (!p) return 0;
        if (memcmp(p, needle, needle_length) == 0) return 1;
        p++;
    }
    return 0;
}
