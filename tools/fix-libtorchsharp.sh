#!/usr/bin/env bash
# Makes TorchSharp-cpu 0.107's native glue library load on Debian 12.
# libLibTorchSharp.so was linked against GCC 13's libstdc++ and asks for GLIBCXX_3.4.32, but only for one symbol,
# std::ios_base_library_init(), which GCC 13 emits as a no-op marker. Debian 12's libstdc++ stops at 3.4.30.
# Fix: mark that version need weak, and add a tiny shim library that defines the symbol at that version.
# Idempotent; does nothing where libstdc++ already has the version or the library is already patched.
set -euo pipefail
dir=$1
lib=$dir/libLibTorchSharp.so
[ -f "$lib" ] || exit 0
libstdcxx=$(ldconfig -p 2>/dev/null | awk '/libstdc\+\+\.so\.6 .*x86-64/ {print $NF; exit}')
[ -n "$libstdcxx" ] || libstdcxx=$(gcc -print-file-name=libstdc++.so.6 2>/dev/null || true)
if [ -n "$libstdcxx" ] && grep -qa 'GLIBCXX_3\.4\.32' "$libstdcxx"; then exit 0; fi
if readelf -d "$lib" 2>/dev/null | grep -q 'libglibcxx_shim.so'; then exit 0; fi
for tool in gcc patchelf readelf; do
  command -v "$tool" >/dev/null || { echo "fix-libtorchsharp: '$tool' is missing (apt-get install gcc patchelf binutils)" >&2; exit 1; }
done
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
echo 'void _ZSt21ios_base_library_initv(void) {}' > "$tmp/shim.c"
echo 'GLIBCXX_3.4.32 { global: _ZSt21ios_base_library_initv; };' > "$tmp/shim.map"
gcc -shared -fPIC -O2 -Wl,--version-script="$tmp/shim.map" -o "$dir/libglibcxx_shim.so" "$tmp/shim.c"
gcc -O2 -o "$tmp/elf-weak-verneed" "$here/elf-weak-verneed.c"
cp "$lib" "$tmp/lib.so"
"$tmp/elf-weak-verneed" "$tmp/lib.so" GLIBCXX_3.4.32
patchelf --add-needed libglibcxx_shim.so "$tmp/lib.so"
# Replace atomically: a concurrent build of another project must never see a half-written library.
cp "$tmp/lib.so" "$lib.tmp.$$" && mv -f "$lib.tmp.$$" "$lib"
echo "fix-libtorchsharp: patched $lib"
