// Definitions the portable binary links in so that it runs on glibc 2.31 (Debian 11, Ubuntu 20.04).
//
// The Swift runtime, Foundation and the C libraries' static archives were compiled against newer
// glibc headers, which call functions that glibc added after 2.31; the portable build links against
// a Debian 11 sysroot, where those functions do not exist. Each one is defined here on top of what
// glibc 2.31 exports. Scripts/release.sh compiles this file against the sysroot's headers and links
// it into the portable binary only; Scripts/release/check-portable.sh then verifies that no symbol
// newer than the target remains.
#include <stddef.h>

struct stat;

// glibc < 2.33 exports stat, fstat, lstat, fstatat and mknod only as the versioned wrappers
// __xstat & co (the headers made the short names inline functions); 2.33 exported the short names.
// _STAT_VER is 1 on x86_64 (_STAT_VER_LINUX).
extern int __xstat(int version, const char *path, struct stat *buffer);
extern int __lxstat(int version, const char *path, struct stat *buffer);
extern int __fxstat(int version, int fd, struct stat *buffer);
extern int __fxstatat(int version, int dirfd, const char *path, struct stat *buffer, int flags);
extern int __xmknod(int version, const char *path, unsigned int mode, unsigned long *device);

int stat(const char *path, struct stat *buffer) { return __xstat(1, path, buffer); }
int lstat(const char *path, struct stat *buffer) { return __lxstat(1, path, buffer); }
int fstat(int fd, struct stat *buffer) { return __fxstat(1, fd, buffer); }
int fstatat(int dirfd, const char *path, struct stat *buffer, int flags) {
  return __fxstatat(1, dirfd, path, buffer, flags);
}
int mknod(const char *path, unsigned int mode, unsigned long device) { return __xmknod(0, path, mode, &device); }

// mallinfo2 (glibc 2.33) is mallinfo with size_t fields; mallinfo's int fields wrap past 2 GiB,
// which only strata's memory diagnostics read.
struct mallinfo { int arena, ordblks, smblks, hblks, hblkhd, usmblk, fsmblks, uordblks, fordblks, keepcost; };
struct mallinfo2 { size_t arena, ordblks, smblks, hblks, hblkhd, usmblk, fsmblks, uordblks, fordblks, keepcost; };
extern struct mallinfo mallinfo(void);

struct mallinfo2 mallinfo2(void) {
  struct mallinfo old = mallinfo();
  struct mallinfo2 info = {
    (unsigned)old.arena, (unsigned)old.ordblks, (unsigned)old.smblks, (unsigned)old.hblks,
    (unsigned)old.hblkhd, (unsigned)old.usmblk, (unsigned)old.fsmblks, (unsigned)old.uordblks,
    (unsigned)old.fordblks, (unsigned)old.keepcost};
  return info;
}

// Not glibc, but the same kind of gap: the Swift runtime was compiled against GCC 12's libstdc++
// headers, which call std::__throw_bad_array_new_length() (GCC 11); Debian 11's libstdc++.a is
// GCC 10's. Both only throw out of a failed allocation, which the runtime does not catch: throw
// std::bad_alloc, which GCC 10 has.
extern void _ZSt17__throw_bad_allocv(void) __attribute__((noreturn));
__attribute__((noreturn)) void _ZSt28__throw_bad_array_new_lengthv(void) { _ZSt17__throw_bad_allocv(); }
