package sim

import (
	"encoding/base64"
	"net/url"
	"strings"
	"sync"
	"testing"
)

func TestLeakCheck(t *testing.T) {
	const secret = "pin-LEAK-SECRET-42"
	padding := strings.Repeat("x", leakCheckMinLog)
	tests := []struct {
		name    string
		text    string // recorded as seen by a user
		log     string // written through Logger
		texts   int    // minimum texts Verify wants
		secrets int    // minimum secrets Verify wants
		wantErr string // "" for none
	}{
		{name: "clean", text: "poll failed", log: padding, texts: 2, secrets: 1},
		{name: "raw in a text", text: "pin " + secret, log: padding, texts: 2, secrets: 1, wantErr: "leaked"},
		{name: "base64 in a text", text: base64.StdEncoding.EncodeToString([]byte(secret)), log: padding, texts: 2, secrets: 1, wantErr: "leaked"},
		{name: "URL-escaped in the log", text: "poll failed", log: padding + url.QueryEscape(secret+"/"), texts: 2, secrets: 1, wantErr: "leaked"},
		{name: "too little log", text: "poll failed", log: "short", texts: 2, secrets: 1, wantErr: "too little recorded"},
		{name: "too few texts", text: "poll failed", log: padding, texts: 3, secrets: 1, wantErr: "too little recorded"},
		{name: "too few secrets", text: "poll failed", log: padding, texts: 2, secrets: 2, wantErr: "only 1 secrets"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := NewLeakCheck()
			c.Secret(secret)
			c.Record(tt.text)
			c.Logger().Debug(tt.log)
			err := c.Verify(tt.texts, tt.secrets)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("Verify: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("Verify = %v, want an error with %q", err, tt.wantErr)
			}
		})
	}
}

// Fault suites record and log from many goroutines at once.
func TestLeakCheckConcurrent(t *testing.T) {
	c := NewLeakCheck()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.Secret("tok-" + strings.Repeat("s", i+1))
			c.Record("view")
			c.Logger().Debug(strings.Repeat("x", leakCheckMinLog))
		}()
	}
	wg.Wait()
	if err := c.Verify(9, 8); err != nil {
		t.Error(err)
	}
}
