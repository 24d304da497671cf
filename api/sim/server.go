package sim

import (
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"faxwatch/api"

	"github.com/google/uuid"
)

const (
	defaultJobs          = 40
	maxInitialJobs       = 100000
	defaultTokenLifetime = time.Hour
)

// Options configure a Server. Zero values take the defaults noted.
type Options struct {
	Seed          int64
	Jobs          int           // jobs created at start (default 40; 0 means the default, negative none)
	Clock         Clock         // nil: real time
	TokenLifetime time.Duration // default 1h
	// Credentials; empty ones are derived from Seed (deterministic, obviously fake).
	UserID, ClientID, ClientSecret, PIN string
	Faults                              Faults
}

// Server is a simulated Concord endpoint; it implements http.Handler and is
// safe for concurrent use.
type Server struct {
	opts  Options
	clock Clock
	creds Credentials
	mux   *http.ServeMux

	mu      sync.RWMutex
	jobs    []*job
	byID    map[string]*job
	byRef   map[string]*job
	maker   *jobMaker
	initial int    // how many jobs New created
	demoRef string // a processing job's ReferenceId for DemoWatchlist
	unknown string // a well-formed ID that no job has

	faultMu  sync.Mutex
	faults   Faults
	faultRNG *rand.Rand

	tokens     tokenStore
	calls      atomic.Int64
	tokenCalls atomic.Int64
	baseURL    atomic.Pointer[string] // set by Start; the WSDL's address
}

// New builds a server with its demo jobs created at the clock's current time.
func New(opts Options) *Server {
	if opts.Clock == nil {
		opts.Clock = realClock{}
	}
	if opts.TokenLifetime <= 0 {
		opts.TokenLifetime = defaultTokenLifetime
	}
	switch {
	case opts.Jobs == 0:
		opts.Jobs = defaultJobs
	case opts.Jobs < 0:
		opts.Jobs = 0
	case opts.Jobs > maxInitialJobs:
		opts.Jobs = maxInitialJobs
	}
	creds := defaultCredentials(opts.Seed)
	for _, c := range []struct {
		dst *string
		v   string
	}{
		{&creds.UserID, opts.UserID}, {&creds.ClientID, opts.ClientID},
		{&creds.ClientSecret, opts.ClientSecret}, {&creds.PIN, opts.PIN},
	} {
		if c.v != "" {
			*c.dst = c.v
		}
	}
	s := &Server{
		opts:     opts,
		clock:    opts.Clock,
		creds:    creds,
		byID:     map[string]*job{},
		byRef:    map[string]*job{},
		maker:    newJobMaker(opts.Seed),
		faults:   opts.Faults,
		faultRNG: rand.New(rand.NewPCG(uint64(opts.Seed), 0x6661756c74)),
	}
	now := s.clock.Now()
	for i := 0; i < opts.Jobs; i++ {
		var j *job
		if i < len(demoScript) {
			j = s.maker.make(now, demoScript[i])
			if j.ref != "" && s.demoRef == "" {
				s.demoRef = j.ref
			}
		} else {
			j = s.maker.random(now, -12*time.Minute, 3*time.Minute)
		}
		s.addLocked(j)
	}
	s.initial = len(s.jobs)
	s.unknown = s.maker.unknownID()
	s.mux = http.NewServeMux()
	s.mux.HandleFunc("/fax/v5", s.handleFax)
	s.mux.HandleFunc("/fax/v5/faxws.wsdl", s.handleWSDL)
	s.mux.HandleFunc("/oauth2/token", s.handleToken)
	s.mux.HandleFunc("/sim/faults", s.handleFaults)
	s.mux.HandleFunc("/sim/jobs", s.handleJobs)
	return s
}

func (s *Server) addLocked(j *job) {
	s.jobs = append(s.jobs, j)
	s.byID[j.id] = j
	if j.ref != "" {
		if _, dup := s.byRef[j.ref]; !dup {
			s.byRef[j.ref] = j
		}
	}
}

// ServeHTTP answers every route; every answer carries x-ch-activity-id and
// x-ch-execution-time.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	tw := &timedWriter{ResponseWriter: w, start: time.Now()}
	activity := uuid.NewString()
	if s.Faults().Hostile && r.URL.Path == "/fax/v5" {
		// Header values cannot carry C0 controls, but C1 and bidi pass.
		activity += "\u009b2J\u202e"
	}
	w.Header().Set("x-ch-activity-id", activity)
	s.mux.ServeHTTP(tw, r)
}

// SetFaults replaces the fault knobs; calls in flight keep the old ones.
func (s *Server) SetFaults(f Faults) {
	s.faultMu.Lock()
	s.faults = f
	s.faultMu.Unlock()
}

// Faults returns the current fault knobs.
func (s *Server) Faults() Faults {
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	return s.faults
}

// draw reports true with probability p, from the seeded fault stream.
func (s *Server) draw(p float64) bool {
	if p <= 0 {
		return false
	}
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	return s.faultRNG.Float64() < p
}

func (s *Server) jitter(max time.Duration) time.Duration {
	if max <= 0 {
		return 0
	}
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	return time.Duration(s.faultRNG.Int64N(int64(max) + 1))
}

// Credentials returns the account's credentials.
func (s *Server) Credentials() Credentials { return s.creds }

// JobIDs returns every job's ID in creation order (the initial demo jobs
// first, then those AddJobs made).
func (s *Server) JobIDs() []api.JobID {
	s.mu.RLock()
	defer s.mu.RUnlock()
	ids := make([]api.JobID, len(s.jobs))
	for i, j := range s.jobs {
		ids[i] = api.JobID(j.id)
	}
	return ids
}

// DemoWatchlist is the --demo dashboard's watchlist: the initial jobs, one
// JRI- look-up of a job in progress, and a well-formed ID no job has (it
// answers -5019), so every state shows.
func (s *Server) DemoWatchlist() []api.JobID {
	s.mu.RLock()
	defer s.mu.RUnlock()
	ids := make([]api.JobID, 0, s.initial+2)
	for _, j := range s.jobs[:s.initial] {
		ids = append(ids, api.JobID(j.id))
	}
	if s.demoRef != "" {
		ids = append(ids, api.JobID("JRI-"+s.demoRef))
	}
	return append(ids, api.JobID(s.unknown))
}

// AddJobs creates n new jobs that start within the next 20 seconds of the
// server's clock, and returns their IDs.
func (s *Server) AddJobs(n int) []api.JobID {
	if n <= 0 {
		return nil
	}
	now := s.clock.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := make([]api.JobID, 0, n)
	for range n {
		j := s.maker.random(now, 0, 20*time.Second)
		s.addLocked(j)
		ids = append(ids, api.JobID(j.id))
	}
	return ids
}

// Reference returns the job's ReferenceId, "" if it has none or is unknown.
func (s *Server) Reference(id api.JobID) string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if j, ok := s.byID[string(id)]; ok {
		return j.ref
	}
	return ""
}

// Calls counts the POST /fax/v5 requests served.
func (s *Server) Calls() int64 { return s.calls.Load() }

// TokenCalls counts the requests to the token endpoint.
func (s *Server) TokenCalls() int64 { return s.tokenCalls.Load() }

// timedWriter sets x-ch-execution-time just before the status line goes out.
type timedWriter struct {
	http.ResponseWriter
	start       time.Time
	wroteHeader bool
}

func (w *timedWriter) WriteHeader(code int) {
	if !w.wroteHeader {
		w.wroteHeader = true
		ms := time.Since(w.start).Milliseconds()
		w.Header().Set("x-ch-execution-time", strconv.FormatInt(ms, 10))
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *timedWriter) Write(b []byte) (int, error) {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the real writer.
func (w *timedWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
