#!/usr/bin/env bash
# Rebuilds two independent SOAP servers from the vendor's WSDL — gSOAP (the
# stack the WSDL says the real service runs) and node-soap — and records
# their raw HTTP answers under api/testdata/peers/ (SOAP 1.1 and 1.2; normal,
# -5019, hostile and Fault cases). The api tests decode every recording; CI
# uses the committed files and needs neither stack.
#
#   scripts/record-peers.sh          # installs gsoap (apt-get) and soap@1.13.0 (npm) if missing
#
# Servers: scripts/peers/gsoap_server.cpp and scripts/peers/node_server.js.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
wsdl="$repo/api/sim/testdata/FaxWS.wsdl"
out="$repo/api/testdata/peers"
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# --- tools --------------------------------------------------------------------
if ! command -v soapcpp2 >/dev/null || [ ! -e /usr/include/stdsoap2.h ]; then
  apt-get update && apt-get install -y gsoap libgsoap-dev
fi
command -v node >/dev/null && command -v npm >/dev/null || { echo "record-peers.sh: node and npm are needed" >&2; exit 2; }
command -v curl >/dev/null || { echo "record-peers.sh: curl is needed" >&2; exit 2; }

# --- gSOAP --------------------------------------------------------------------
mkdir -p "$work/gsoap"
(
  cd "$work/gsoap"
  cp "$wsdl" FaxWS.wsdl
  # The WSDL names the service's functions FaxWS__…, so the prefix is FaxWS.
  printf 'FaxWS = "urn:FaxWS"\n' >typemap.dat
  wsdl2h -t typemap.dat -o faxws.h FaxWS.wsdl >/dev/null 2>&1
  soapcpp2 -j -x -S -I/usr/share/gsoap/import faxws.h >/dev/null 2>&1
  # Every operation the server does not implement answers "no method".
  {
    echo '#include "soapFaxWSService.h"'
    grep -h 'SOAP_PURE_VIRTUAL;' soapFaxWSService.h |
      grep -v -E ' (GetFaxStatus|GetRealTimeFaxStatusEx2|CheckService)\(' |
      sed -E 's/^\s*virtual int ([A-Za-z0-9_]+)\((.*)\) SOAP_PURE_VIRTUAL;/int FaxWSService::\1(\2) { return SOAP_NO_METHOD; }/'
  } >stubs.cpp
  g++ -O0 -w -o server "$repo/scripts/peers/gsoap_server.cpp" -I. stubs.cpp soapFaxWSService.cpp soapC.cpp -lgsoap++
)
gsoap_version=$(dpkg-query -W -f '${Version}' libgsoap-dev 2>/dev/null || soapcpp2 -v 2>&1 | head -1)

# --- node-soap ----------------------------------------------------------------
# Pinned: the committed recordings (and the README's API client section) name
# this version. A newer one may write other bytes; change all three together.
soap_pin=1.13.0
mkdir -p "$work/node"
(cd "$work/node" && npm init -y >/dev/null && npm install --no-audit --no-fund --save-exact "soap@$soap_pin" >/dev/null)
node_version=$(node --version)
soap_version=$(node -p "require('$work/node/node_modules/soap/package.json').version")

# --- run ----------------------------------------------------------------------
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$1/" && return 0; sleep 0.1; done; echo "no server on $1" >&2; return 1; }

gport=$(free_port)
"$work/gsoap/server" "$gport" >"$work/gsoap.log" 2>&1 &
pids+=($!)
n11=$(free_port)
NODE_PATH="$work/node/node_modules" node scripts/peers/node_server.js "$wsdl" "$n11" soap11 >"$work/node11.log" 2>&1 &
pids+=($!)
n12=$(free_port)
NODE_PATH="$work/node/node_modules" node scripts/peers/node_server.js "$wsdl" "$n12" soap12 >"$work/node12.log" 2>&1 &
pids+=($!)
wait_port "$gport"; wait_port "$n11"; wait_port "$n12"

# request VERSION OP USER IDS...: a request as faxwatch sends it.
request() {
  local version=$1 op=$2 user=$3 env items=""
  shift 3
  env=http://schemas.xmlsoap.org/soap/envelope/
  [ "$version" = soap12 ] && env=http://www.w3.org/2003/05/soap-envelope
  for id in "$@"; do items+="<urn:item><urn:JobId>$id</urn:JobId></urn:item>"; done
  printf '<?xml version="1.0" encoding="utf-8"?>\n<soap:Envelope xmlns:soap="%s" xmlns:urn="urn:FaxWS"><soap:Body><urn:%s><urn:UserID>%s</urn:UserID><urn:strPIN></urn:strPIN><urn:FaxJobIds>%s</urn:FaxJobIds></urn:%s></soap:Body></soap:Envelope>' \
    "$env" "$op" "$user" "$items" "$op"
}

# record STACK VERSION PORT CASE OP USER IDS...: the raw HTTP answer, chunking kept.
record() {
  local stack=$1 version=$2 port=$3 name=$4 op=$5 user=$6 ct='text/xml; charset=utf-8'
  shift 6
  [ "$version" = soap12 ] && ct='application/soap+xml; charset=utf-8'
  request "$version" "$op" "$user" "$@" |
    curl -s --raw -i -H "Content-Type: $ct" -H 'SOAPAction: ""' --data-binary @- \
      "http://127.0.0.1:$port/fax/v5" >"$out/$stack-$version-$name.http"
  echo "recorded $stack-$version-$name.http ($(wc -c <"$out/$stack-$version-$name.http") bytes)" >&2
}

mkdir -p "$out"
rm -f "$out"/*.http
for version in soap11 soap12; do
  nport=$n11
  [ "$version" = soap12 ] && nport=$n12
  for stack in gsoap node; do
    port=$gport
    [ "$stack" = node ] && port=$nport
    record "$stack" "$version" "$port" normal GetFaxStatus mbx1234567890 br1000001h00001x br2000002h00002y br3000003h00003z
    record "$stack" "$version" "$port" invalid GetFaxStatus mbx1234567890 br4000004h00004w
    record "$stack" "$version" "$port" hostile GetFaxStatus mbx1234567890 br1000001h00001x br9000009h00009q
    record "$stack" "$version" "$port" fault GetFaxStatus fault br1000001h00001x
    record "$stack" "$version" "$port" ex2-hostile GetRealTimeFaxStatusEx2 mbx1234567890 br3000003h00003z br9000009h00009q
  done
done

cat >"$out/VERSIONS" <<VERSIONS
Recorded by scripts/record-peers.sh on $(date -u +%Y-%m-%d).
gsoap: gSOAP $gsoap_version (Debian libgsoap-dev), server from wsdl2h + soapcpp2 -j, SOAP_C_UTFSTRING
node:  node-soap $soap_version on Node.js $node_version
VERSIONS
cat "$out/VERSIONS" >&2
