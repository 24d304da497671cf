// A tiny node-soap server from the vendor's WSDL, so that faxwatch's tests
// can hold answers written by an independent SOAP stack. Built and recorded
// by scripts/record-peers.sh; not part of faxwatch. Usage:
//   node node_server.js WSDL PORT [soap12]
// The job ID picks the answer as in gsoap_server.cpp: br1… succeeded, br2…
// failed, br3… processing, br9… hostile text, anything else -5019; UserID
// "fault" answers a SOAP Fault.
'use strict';
const fs = require('fs');
const http = require('http');
const soap = require('soap');

const [wsdlPath, port, version] = process.argv.slice(2);
const hostile = '\x1b]0;pwned\x07Sending page 2\r of 5 \u009b31m \u202eevil\x1b[2J';

function item(id) {
  const it = { FaxJobId: id, FaxJobStatusId: -5019, StatusDescription: 'Invalid job ID', Error: { ErrorCode: -5019, ErrorString: 'Invalid FaxJobId' } };
  switch (id.charAt(2)) {
    case '1': return { FaxJobId: id, FaxJobStatusId: 1, StatusDescription: 'Fax sent successfully', Error: { ErrorCode: 0, ErrorString: '' } };
    case '2': return { FaxJobId: id, FaxJobStatusId: 2, StatusDescription: 'Failed: line busy', Error: { ErrorCode: 4001, ErrorString: 'Line busy' } };
    case '3': return { FaxJobId: id, FaxJobStatusId: 3, StatusDescription: 'Sending page 2 of 5', Error: { ErrorCode: 0, ErrorString: '' } };
    case '9': return { FaxJobId: id, FaxJobStatusId: 3, StatusDescription: hostile, Error: { ErrorCode: 0, ErrorString: 'CSID \x07\x1b[31m' } };
  }
  return it;
}

function ids(args) {
  const list = (args.FaxJobIds && args.FaxJobIds.item) || [];
  return (Array.isArray(list) ? list : [list]).map((j) => j.JobId);
}

function fault(reason) {
  return {
    Fault: version === 'soap12'
      ? { Code: { Value: 'soap:Sender' }, Reason: { Text: reason }, statusCode: 500 }
      : { faultcode: 'soap:Client', faultstring: reason, statusCode: 500 },
  };
}

const service = {
  FaxWS: {
    FaxWS: {
      GetFaxStatus(args) {
        if (args.UserID === 'fault') throw fault('Authentication failed for \x1b[2Jmbx\x07');
        return { return: true, FaxStatusList: { item: ids(args).map(item) }, WSError: { ErrorCode: 0, ErrorString: '' } };
      },
      GetRealTimeFaxStatusEx2(args) {
        if (args.UserID === 'fault') throw fault('Service error\x1b[2J');
        const items = ids(args).map((id) => {
          const b = item(id);
          return {
            FaxJobId: b.FaxJobId, FaxJobStatusId: b.FaxJobStatusId, StatusDescription: b.StatusDescription,
            RecipientState: 2, RecipientCurrentPageCount: 2, RecipientTotalPageCount: 5,
            FaxDeliveryDateTime: '2026-11-27T10:00:00Z', FaxDeliveryDuration: 61,
            RemoteFaxCSID: id.charAt(2) === '9' ? 'CSID\x1b[2J\x07' : '+1 555 0100', ReferenceId: 'REF-' + id, Error: b.Error,
          };
        });
        return { return: true, FaxStatusList: { item: items }, WSError: { ErrorCode: 0, ErrorString: '' } };
      },
      CheckService() {
        return { return: 'Service OK \x1b[0m' };
      },
    },
  },
};

const server = http.createServer((req, res) => { res.statusCode = 404; res.end(); });
server.listen(Number(port), '127.0.0.1', () => {
  soap.listen(server, { path: '/fax/v5', services: service, xml: fs.readFileSync(wsdlPath, 'utf8'), forceSoap12Headers: version === 'soap12' });
});
