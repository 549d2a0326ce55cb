# Sourced by ./merlin-adapt and ./test.sh: installs the Debian packages MerlinAdapt needs when they are missing
# (as root), or stops with one line naming them. Needs: dotnet (the SDK, installed by the user); dcm2niix (DICOM
# input); and, only where libstdc++ lacks GLIBCXX_3.4.32 (Debian 12), gcc, patchelf and binutils for the TorchSharp
# fix in tools/fix-libtorchsharp.sh. `ensure_deps --tests` (test.sh) adds chromium, the headless browser that checks
# the HTML report renders; the user-facing ./merlin-adapt never pulls a browser.
ensure_deps() {
  local missing=() tool pkg libstdcxx
  command -v dotnet >/dev/null || { echo "merlin-adapt: the .NET 10 SDK is required (https://dot.net); 'dotnet' is not on PATH" >&2; return 1; }
  local -A package_of=([dcm2niix]=dcm2niix)
  if [ "${1:-}" = "--tests" ]; then package_of[chromium]=chromium; fi
  libstdcxx=$( (/sbin/ldconfig -p 2>/dev/null || ldconfig -p 2>/dev/null) | awk '/libstdc\+\+\.so\.6 .*x86-64/ {print $NF; exit}')
  if [ -z "$libstdcxx" ] || ! grep -qa 'GLIBCXX_3\.4\.32' "$libstdcxx"; then
    package_of[gcc]=gcc; package_of[patchelf]=patchelf; package_of[readelf]=binutils
  fi
  for tool in "${!package_of[@]}"; do
    command -v "$tool" >/dev/null || missing+=("${package_of[$tool]}")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "merlin-adapt: installing ${missing[*]} (apt-get)" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 \
      && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
      || { echo "merlin-adapt: apt-get install ${missing[*]} failed" >&2; return 1; }
    return 0
  fi
  echo "merlin-adapt: missing packages: ${missing[*]} — run 'sudo apt-get install ${missing[*]}' (or run this as root)" >&2
  return 1
}
