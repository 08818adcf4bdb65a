#!/usr/bin/env bash
# Builds the portable strata binary and prints its path. It needs nothing but glibc on Linux x86_64:
# glibc ≥ 2.31 (Debian 11, Ubuntu 20.04, RHEL 9, Amazon Linux 2023) when linked against the default
# sysroot, the build system's own glibc with STRATA_SYSROOT=/ (as the Dockerfile does).
#
# - The Swift runtime and Foundation are linked statically (--static-swift-stdlib), and so are
#   libstdc++ and libgcc.
# - The C libraries (libarchive with the compression libraries its filters use, jansson, xxhash,
#   libyaml) are linked from Debian's static archives. By default they come from Debian 11, in a
#   sysroot made by mmdebstrap (Scripts/release/sysroot.sh): compiled against glibc 2.31, they bind
#   no newer symbol (jansson and OpenSSL are Debian 12's, see below). libcurl is built for it from
#   Debian 12's source with HTTP(S), OpenSSL and zlib only (Scripts/release/libcurl.sh, cached):
#   Debian's libcurl.a needs GSSAPI and p11-kit, which have no static archives.
# - The link is made against that sysroot's glibc 2.31, so every glibc symbol binds its 2.31 (or
#   older) version. What the Swift runtime's archives, compiled against newer headers, still ask
#   for (stat, mallinfo2 …) is defined in Scripts/release/glibc-compat.c on top of 2.31's exports.
# - No packed relative relocations (DT_RELR needs glibc 2.36): -z nopack-relative-relocs.
# Builds in .build-portable (the development build in .build is untouched).
set -euo pipefail
cd "$(dirname "$0")/../.."

scratch=.build-portable
sysroot=${STRATA_SYSROOT:-$(Scripts/release/sysroot.sh)}
multiarch="$sysroot/usr/lib/x86_64-linux-gnu"
gcc=$(ls -d "$sysroot"/usr/lib/gcc/x86_64-linux-gnu/* | sort -V | tail -1)

# Only static archives in this folder: each -l of the C libraries finds its .a.
static="$PWD/$scratch/static-libs"
rm -rf "$static" && mkdir -p "$static"
for library in archive jansson xxhash yaml z bz2 lzma lz4 zstd ssl crypto; do
  archive="$multiarch/lib$library.a"
  # Debian 11's jansson is 2.13; JSONIO calls json_object_setn_new and json_object_iter_key_len
  # (2.14). The build machine's (Debian 12) archive asks nothing of glibc newer than 2.31:
  # check-portable.sh verifies it. OpenSSL too is the build machine's (3.0, which Debian 12
  # supports; Debian 11's 1.1.1 is past its end of life): Scripts/release/libcurl.sh says why.
  case $library in jansson | ssl | crypto) archive="/usr/lib/x86_64-linux-gnu/lib$library.a" ;; esac
  [ -f "$archive" ] || { echo "portable-build: $archive is missing" >&2; exit 1; }
  ln -s "$archive" "$static/lib$library.a"
done
ln -s "$gcc/libstdc++.a" "$static/libstdc++.a"
curl=$(Scripts/release/libcurl.sh "$sysroot")
ln -s "$curl/lib/libcurl.a" "$static/libcurl.a"

# pkg-config files naming that folder, found before the system's: SwiftPM links what their Libs
# say (the system's would put /usr/lib/x86_64-linux-gnu, with its .so files and the build
# machine's glibc, first: then the link fails on __libc_csu_init, which the sysroot's Scrt1.o
# needs from its own libc_nonshared.a). Every system-library target's package must be listed.
# Cflags stay the system's, so the compile is the development build's.
mkdir -p "$static/pkgconfig"
for package in libarchive:archive jansson:jansson libxxhash:xxhash yaml-0.1:yaml libcrypto:crypto; do
  name=${package%%:*} library=${package#*:}
  system=$(pkg-config --variable=pcfiledir "$name")/$name.pc
  libs="-L$static -l$library"
  # libarchive's filters call into the compression libraries (lld resolves archives in any order).
  [ "$library" = archive ] && libs="$libs -lz -lbz2 -llzma -llz4 -lzstd"
  # OpenSSL's libcrypto (the Hashing target's SHA-256) needs libdl and libpthread (glibc's).
  [ "$library" = crypto ] && libs="$libs -ldl -lpthread"
  sed -e "s|^Libs:.*|Libs: $libs|" -e '/^Libs.private:/d' "$system" > "$static/pkgconfig/$name.pc"
done
# libcurl's headers are those of the build it links; OpenSSL needs libdl and libpthread (glibc's).
printf 'Name: libcurl\nDescription: libcurl built by Scripts/release/libcurl.sh\nVersion: %s\nLibs: %s\nCflags: -I%s\n' \
  "$(sed 's/-.*//' "$curl/VERSION")" "-L$static -lcurl -lssl -lcrypto -lz -ldl -lpthread" "$curl/include" \
  > "$static/pkgconfig/libcurl.pc"
export PKG_CONFIG_PATH="$static/pkgconfig"
# A system-library target added to Package.swift without a line above would link the system's.
for name in $(sed -n 's/.*pkgConfig: "\([^"]*\)".*/\1/p' Package.swift); do
  [ -f "$static/pkgconfig/$name.pc" ] || { echo "portable-build: no static pkg-config file for $name (Package.swift)" >&2; exit 1; }
done

# libgcc's unwinder linked in too (clang would link libgcc_s.so.1, which is GCC's, not glibc's).
arguments=(-Xswiftc -Xclang-linker -Xswiftc -static-libgcc)
linker=()
if [ "$sysroot" != / ]; then
  clang="$(dirname "$(realpath "$(command -v swift)")")/clang"
  "$clang" --sysroot="$sysroot" -O2 -fPIC -c Scripts/release/glibc-compat.c -o "$static/glibc-compat.o"
  arguments+=(-Xswiftc -Xclang-linker -Xswiftc --sysroot="$sysroot")
  linker+=(-Xlinker "$static/glibc-compat.o")
fi
linker+=(-Xlinker -z -Xlinker nopack-relative-relocs)

STRATA_COMMIT=${STRATA_COMMIT:-$(Scripts/release/commit.sh)} swift build -c release --static-swift-stdlib --product strata --scratch-path "$scratch" ${STRATA_BUILD_FLAGS:-} \
  "${arguments[@]}" "${linker[@]}" >&2
echo "$PWD/$scratch/release/strata"
