// Package sim is a Concord Fax Web Services server for demos and tests: the
// status operations in SOAP 1.1, SOAP 1.2 and JSON, the WSDL, an OAuth 2.0
// client-credentials token endpoint and the legacy PIN, jobs whose timelines
// follow a clock that tests can drive, and fault knobs for every failure the
// api client claims to handle.
//
// It owns the simulated account, its jobs and their timelines. It imports api
// for the wire codec and types only, and must not import the watchlist, the
// ui or anything that touches files: what it serves is checked against the
// WSDL independently of api (see wsdl_test.go).
package sim
