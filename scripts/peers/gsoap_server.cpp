// A tiny gSOAP server built from the vendor's WSDL, so that faxwatch's tests
// can hold answers written by the stack the real service most likely runs.
// scripts/record-peers.sh builds it and records its answers; it is not part
// of faxwatch. The job ID picks the answer: br1… succeeded, br2… failed,
// br3… processing, br9… hostile text, anything else -5019. UserID "fault"
// answers a SOAP Fault.
#include "soapFaxWSService.h"
#include "FaxWS.nsmap"
#include <cstdlib>
#include <string>

static const std::string hostile =
    "\x1b]0;pwned\x07Sending page 2\r of 5 \xc2\x9b" "31m \xe2\x80\xae" "evil\x1b[2J";

static void fill(soap *s, const std::string &id, std::string &desc, int &status, FaxWS__WSError *&err) {
  err = soap_new_FaxWS__WSError(s);
  err->ErrorCode = 0;
  char kind = id.size() > 2 ? id[2] : '?';
  switch (kind) {
  case '1': status = 1; desc = "Fax sent successfully"; break;
  case '2': status = 2; desc = "Failed: line busy"; err->ErrorCode = 4001; err->ErrorString = "Line busy"; break;
  case '3': status = 3; desc = "Sending page 2 of 5"; break;
  case '9': status = 3; desc = hostile; err->ErrorString = "CSID \x07\x1b[31m"; break;
  default: status = -5019; desc = "Invalid job ID"; err->ErrorCode = -5019; err->ErrorString = "Invalid FaxJobId";
  }
}

static FaxWS__WSError *noError(soap *s) {
  FaxWS__WSError *e = soap_new_FaxWS__WSError(s);
  e->ErrorCode = 0;
  return e;
}

int FaxWSService::GetFaxStatus(_FaxWS__GetFaxStatus *req, _FaxWS__FaxStatusResponse &resp) {
  if (req->UserID == "fault")
    return soap_sender_fault(this->soap, "Authentication failed for \x1b[2Jmbx\x07", "UserID fault");
  resp.return_ = true;
  resp.FaxStatusList = soap_new_FaxWS__FaxStatusList(this->soap);
  resp.WSError = noError(this->soap);
  if (req->FaxJobIds)
    for (FaxWS__FaxJobId *j : req->FaxJobIds->item) {
      FaxWS__FaxStatus *it = soap_new_FaxWS__FaxStatus(this->soap);
      it->FaxJobId = j->JobId;
      fill(this->soap, j->JobId, it->StatusDescription, it->FaxJobStatusId, it->Error);
      resp.FaxStatusList->item.push_back(it);
    }
  return SOAP_OK;
}

int FaxWSService::GetRealTimeFaxStatusEx2(_FaxWS__GetRealTimeFaxStatusEx2 *req, _FaxWS__RealTimeFaxStatusEx2Response &resp) {
  if (req->UserID == "fault")
    return soap_receiver_fault(this->soap, "Service error\x1b[2J", NULL);
  resp.return_ = true;
  resp.FaxStatusList = soap_new_FaxWS__RealTimeFaxStatusEx2List(this->soap);
  resp.WSError = noError(this->soap);
  if (req->FaxJobIds)
    for (FaxWS__FaxJobId *j : req->FaxJobIds->item) {
      FaxWS__RealTimeFaxStatusEx2 *it = soap_new_FaxWS__RealTimeFaxStatusEx2(this->soap);
      it->FaxJobId = j->JobId;
      fill(this->soap, j->JobId, it->StatusDescription, it->FaxJobStatusId, it->Error);
      it->RecipientState = 2;
      it->RecipientCurrentPageCount = 2;
      it->RecipientTotalPageCount = 5;
      it->FaxDeliveryDateTime = "2026-11-27T10:00:00Z";
      it->FaxDeliveryDuration = 61;
      it->RemoteFaxCSID = j->JobId.size() > 2 && j->JobId[2] == '9' ? "CSID\x1b[2J\x07" : "+1 555 0100";
      it->ReferenceId = "REF-" + j->JobId;
      resp.FaxStatusList->item.push_back(it);
    }
  return SOAP_OK;
}

int FaxWSService::CheckService(_FaxWS__CheckService *, _FaxWS__CheckServiceResponse &resp) {
  resp.return_ = "Service OK \x1b[0m";
  return SOAP_OK;
}


int main(int argc, char **argv) {
  if (argc < 2) return 2;
  // UTF-8 strings are written as such (C1 raw), controls as references.
  FaxWSService service(SOAP_C_UTFSTRING);
  service.soap->bind_flags = SO_REUSEADDR;
  if (!soap_valid_socket(service.bind("127.0.0.1", atoi(argv[1]), 16))) {
    service.soap_stream_fault(std::cerr);
    return 1;
  }
  // run() stops at the first request that fails; a recorder serves on.
  for (;;) {
    if (!soap_valid_socket(service.accept())) continue;
    service.serve();
    service.destroy();
  }
}
