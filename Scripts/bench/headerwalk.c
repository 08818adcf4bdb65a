/* headerwalk.c — the floor of Scripts/bench.sh: walk every tar header of an image archive and of
 * the layer tars inside it with libarchive, seeking over contents, and nothing else.
 *
 *   cc -O2 -o headerwalk headerwalk.c -larchive
 *   headerwalk IMAGE.tar [BLOCK_BYTES]
 *
 * The outer archive (`docker save`, `podman save`, OCI archive) is read header by header; each
 * member is opened as an archive of its own (any compression libarchive knows) over a window of
 * the file read with pread and skipped by moving the offset, exactly as strata reads a seekable
 * image. Members that are not archives (JSON) stop at their first header. Reads are BLOCK_BYTES
 * long (default 65536, strata's block size). Prints one line: members, entries, sum of entry
 * sizes, bytes read from the file. Exit 2 when the image cannot be read.
 */
#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

struct window {
  int fd;
  int64_t start, length, position, bytes_read;
  size_t block;
  char *buffer;
};

static la_ssize_t window_read(struct archive *a, void *data, const void **out) {
  struct window *w = data;
  (void)a;
  int64_t left = w->length - w->position;
  if (left <= 0) return 0;
  size_t want = left < (int64_t)w->block ? (size_t)left : w->block;
  ssize_t got = pread(w->fd, w->buffer, want, w->start + w->position);
  if (got < 0) return -1;
  w->position += got;
  w->bytes_read += got;
  *out = w->buffer;
  return got;
}

static la_int64_t window_skip(struct archive *a, void *data, la_int64_t request) {
  struct window *w = data;
  (void)a;
  int64_t left = w->length - w->position;
  int64_t step = request < left ? request : left;
  if (step < 0) step = 0;
  w->position += step;
  return step;
}

static struct archive *open_window(struct window *w) {
  struct archive *a = archive_read_new();
  archive_read_support_filter_all(a);
  archive_read_support_format_tar(a);
  archive_read_support_format_gnutar(a);
  archive_read_set_callback_data(a, w);
  archive_read_set_read_callback(a, window_read);
  archive_read_set_skip_callback(a, window_skip);
  if (archive_read_open1(a) != ARCHIVE_OK) {
    archive_read_free(a);
    return NULL;
  }
  return a;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: headerwalk IMAGE.tar [BLOCK_BYTES]\n");
    return 2;
  }
  size_t block = argc > 2 ? (size_t)atol(argv[2]) : 65536;
  int fd = open(argv[1], O_RDONLY);
  if (fd < 0) {
    perror(argv[1]);
    return 2;
  }
  off_t size = lseek(fd, 0, SEEK_END);
  char *outer_buffer = malloc(block), *inner_buffer = malloc(block);
  struct window outer = {fd, 0, size, 0, 0, block, outer_buffer};
  struct archive *a = open_window(&outer);
  if (!a) {
    fprintf(stderr, "headerwalk: %s: not an archive\n", argv[1]);
    return 2;
  }
  long members = 0, entries = 0;
  int64_t sizes = 0, inner_read = 0;
  struct archive_entry *e;
  int status;
  while ((status = archive_read_next_header(a, &e)) == ARCHIVE_OK || status == ARCHIVE_WARN) {
    members++;
    if (archive_entry_filetype(e) != AE_IFREG || archive_entry_size(e) < 512) continue;
    struct window inner = {fd, archive_filter_bytes(a, -1), archive_entry_size(e), 0, 0, block, inner_buffer};
    struct archive *layer = open_window(&inner);
    if (layer) {
      struct archive_entry *le;
      int s;
      while ((s = archive_read_next_header(layer, &le)) == ARCHIVE_OK || s == ARCHIVE_WARN) {
        entries++;
        sizes += archive_entry_size(le);
      }
      archive_read_free(layer);
    }
    inner_read += inner.bytes_read;
  }
  if (status != ARCHIVE_EOF) {
    fprintf(stderr, "headerwalk: %s: %s\n", argv[1], archive_error_string(a));
    return 2;
  }
  archive_read_free(a);
  printf("members %ld entries %ld entryBytes %lld bytesRead %lld\n", members, entries, (long long)sizes,
         (long long)(outer.bytes_read + inner_read));
  return 0;
}
