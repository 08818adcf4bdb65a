#!/usr/bin/env bash
# Builds the minimal static libcurl the portable binary links, and prints the folder it is in:
#   Scripts/release/libcurl.sh [SYSROOT]
#   PREFIX/lib/libcurl.a  PREFIX/include/curl/  PREFIX/VERSION  PREFIX/COPYRIGHT
#
# Debian's libcurl.a needs GSSAPI and p11-kit, which ship no static archive (docs/release.md), so
# this one is built from Debian 12's curl source (apt-get source, with Debian's patches, from a
# private apt list: the machine's apt configuration is not touched) with only what strata uses:
# HTTP over TCP and Unix sockets, HTTPS with OpenSSL, zlib. No GSSAPI, LDAP, RTMP, SSH, libpsl,
# libidn2, nghttp2, brotli, zstd; no protocol but HTTP(S).
# It is compiled and linked against SYSROOT (default Scripts/release/sysroot.sh, Debian 11: glibc
# 2.31 and zlib's static archive), so it binds nothing newer than the binary's target. OpenSSL is
# this machine's (Debian 12's libssl-dev: 3.0, security-supported, while Debian 11's 1.1.1 is past
# its end of life); its static archives ask glibc for nothing newer than 2.31 but stat and fstat,
# which Scripts/release/glibc-compat.c defines (check-portable.sh verifies the binary).
# No CA bundle is compiled in (--without-ca-bundle --without-ca-path): HTTPIO picks the system's
# bundle at run time (Sources/HTTPIO/CertificateAuthorities.swift); OpenSSL's own default
# (SSL_CERT_FILE, SSL_CERT_DIR) is the fallback (--with-ca-fallback).
#
# Cached in $STRATA_CACHE/libcurl (default ~/.cache/strata/libcurl), one build per sysroot and
# version of this script: a second run prints the folder at once. The build takes 2-4 minutes;
# delete the cache to pick up a newer Debian curl (the folder's VERSION names the one it holds).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
sysroot=${1:-$("$here/sysroot.sh")}
cache=${STRATA_CACHE:-$HOME/.cache/strata}/libcurl
openssl=$(dpkg-query -W -f='${Version}' libssl-dev 2>/dev/null) ||
  { echo "libcurl: libssl-dev is not installed (Scripts/setup.sh installs it)" >&2; exit 1; }
key=$( { basename "$sysroot"; echo "$openssl"; cat "$0"; } | sha256sum | cut -c1-12)
prefix="$cache/$key"
if [ -f "$prefix/.strata-complete" ]; then echo "$prefix"; exit 0; fi

command -v dpkg-source >/dev/null || { echo "libcurl: dpkg-source is missing (Scripts/setup.sh installs dpkg-dev)" >&2; exit 1; }
mkdir -p "$cache"
work=$(mktemp -d "$cache/build.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Debian 12's source: curl 7.88.1 with Debian's security patches (strata uses CURLOPT_PROTOCOLS_STR,
# 7.85; Debian 11's curl is 7.74). A private source list, so the machine's apt setup stays as it is.
apt=(apt-get -q -o Dir::Etc::SourceList="$work/sources.list" -o Dir::Etc::SourceParts=/dev/null
  -o Dir::State::Lists="$work/lists" -o Dir::Cache="$work/cache" -o APT::Sandbox::User=root)
mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/source"
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
printf 'deb-src [signed-by=%s] http://deb.debian.org/debian bookworm main\n' "$keyring" > "$work/sources.list"
printf 'deb-src [signed-by=%s] http://deb.debian.org/debian-security bookworm-security main\n' "$keyring" >> "$work/sources.list"
echo "libcurl: downloading Debian 12's curl source" >&2
"${apt[@]}" update >/dev/null
(cd "$work/source" && "${apt[@]}" source curl >/dev/null 2>"$work/source.log") ||
  { cat "$work/source.log" >&2; exit 1; }
source=$(find "$work/source" -mindepth 1 -maxdepth 1 -type d -name 'curl-*')
version=$(sed -n 's/^Version: //p' "$work"/source/curl_*.dsc)
cd "$source"
# The last two patches of Debian's series make the GnuTLS and NSS flavours (libcurl-gnutls …).
patch -R -s -p1 < debian/patches/99_nss.patch
patch -R -s -p1 < debian/patches/90_gnutls.patch

# OpenSSL and zlib from a folder that holds only their static archives (configure's test programs
# link them as the binary will) and OpenSSL's headers (this machine's, found before the sysroot's).
deps="$work/deps"
mkdir -p "$deps/lib" "$deps/include/openssl"
for library in ssl crypto; do ln -s "/usr/lib/x86_64-linux-gnu/lib$library.a" "$deps/lib/"; done
ln -s "$sysroot/usr/lib/x86_64-linux-gnu/libz.a" "$deps/lib/"
cp /usr/include/openssl/*.h /usr/include/x86_64-linux-gnu/openssl/*.h "$deps/include/openssl/"

clang="$(dirname "$(realpath "$(command -v swift)")")/clang"
echo "libcurl: building curl $version against $sysroot" >&2
CC="$clang --sysroot=$sysroot" CFLAGS="-O2 -fPIC" CPPFLAGS="-I$deps/include" LIBS="-ldl -lpthread" PKG_CONFIG=false \
./configure --quiet --prefix="$prefix.partial" --disable-shared --enable-static --with-pic \
  --with-openssl="$deps" --with-zlib="$deps" \
  --without-brotli --without-zstd --without-libpsl --without-libidn2 --without-nghttp2 --without-nghttp3 \
  --without-ngtcp2 --without-librtmp --without-libssh2 --without-libssh --without-gssapi --without-libgsasl \
  --disable-ldap --disable-ldaps --disable-rtsp --disable-dict --disable-telnet --disable-tftp --disable-pop3 \
  --disable-imap --disable-smb --disable-smtp --disable-gopher --disable-mqtt --disable-ftp --disable-file \
  --disable-manual --disable-ntlm-wb --disable-ntlm --enable-unix-sockets \
  --without-ca-bundle --without-ca-path --with-ca-fallback >&2
make -s -C lib -j"$(nproc)" >/dev/null
rm -rf "$prefix.partial"
make -s -C lib install >/dev/null
make -s -C include install >/dev/null
echo "$version" > "$prefix.partial/VERSION"
echo "$openssl" > "$prefix.partial/OPENSSL"
{ cat debian/copyright; printf '\n==== COPYING ====\n\n'; cat COPYING; } > "$prefix.partial/COPYRIGHT"
# What it can do, for the record (curl-config --features --protocols).
sh "$source/curl-config" --features --protocols > "$prefix.partial/FEATURES"
rm -rf "$prefix"
mv "$prefix.partial" "$prefix"
touch "$prefix/.strata-complete"
echo "libcurl: curl $version in $prefix" >&2
echo "$prefix"
