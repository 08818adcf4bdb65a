#pragma once
#include <jansson.h>
#include <string.h>

// json_dump_callback hands its callback every token apart (a quote, a key, ": ", a number):
// tens of thousands of calls for a report. A callback in Swift pays a context lookup, a retain
// and a release for each; this one only copies into a buffer and passes on full buffers.

/// Passes on one full buffer (or the last part of one); returns 0, or -1 to stop the dump.
typedef int (*strata_json_flush)(const char *bytes, size_t count, void *context);

/// Where `strata_json_sink_append` gathers the dump: `buffer` of `capacity` bytes, `used` of them
/// filled, handed to `flush` with `context` when full. `failed` is set once `flush` has failed.
struct strata_json_sink {
  char *buffer;
  size_t capacity;
  size_t used;
  strata_json_flush flush;
  void *context;
  int failed;
};

/// Hands the gathered bytes to the sink's flush function and empties the buffer.
static inline int strata_json_sink_flush(struct strata_json_sink *sink) {
  if (sink->failed) return -1;
  if (sink->used > 0 && sink->flush(sink->buffer, sink->used, sink->context) != 0) sink->failed = 1;
  sink->used = 0;
  return sink->failed ? -1 : 0;
}

/// A json_dump_callback_t: `data` is a `struct strata_json_sink`.
static inline int strata_json_sink_append(const char *bytes, size_t count, void *data) {
  struct strata_json_sink *sink = (struct strata_json_sink *)data;
  if (sink->capacity == 0) return -1;
  while (count > 0) {
    if (sink->failed) return -1;
    if (sink->used == sink->capacity && strata_json_sink_flush(sink) != 0) return -1;
    size_t take = sink->capacity - sink->used;
    if (take > count) take = count;
    memcpy(sink->buffer + sink->used, bytes, take);
    sink->used += take;
    bytes += take;
    count -= take;
  }
  return sink->failed ? -1 : 0;
}
