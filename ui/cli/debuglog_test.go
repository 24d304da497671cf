package cli

import (
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"faxwatch/api"
)

func TestSensitiveKey(t *testing.T) {
	tests := map[string]bool{
		"client_secret": true, "ClientSecret": true, "AccessToken": true, "TokenURL": false, "secret": true, "access_token": true, "token": true,
		"Authorization": true, "strPIN": true, "pin": true, "password": true, "refresh-token": true,
		"token_url": false, "token_type": false, "auth_mode": false, "client_id": false, "endpoint": false,
		"ping": false, "shipping": false, "jobs": false, "request_id": false,
	}
	for key, want := range tests {
		if got := sensitiveKey(key); got != want {
			t.Errorf("sensitiveKey(%q) = %v; want %v", key, got, want)
		}
	}
}

func TestDebugLogRedaction(t *testing.T) {
	path := filepath.Join(t.TempDir(), "debug.log")
	r := &redactor{}
	log, closer, err := openDebugLog(path, r)
	if err != nil {
		t.Fatal(err)
	}
	const secret = "hunter2-very-secret"
	r.add(secret, "ab") // too short to scrub safely: ignored
	log.Debug("token fetched for "+secret, "client_secret", "plain-value", "pin", 1234,
		"note", "carrying "+secret+" inside", "err", errors.New("failed with "+secret),
		"wrapped", api.NewSecret("s3"), slog.Group("auth", "token", "abc"), "token_url", "https://t.example/token")
	closer.Close()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	got := string(b)
	for _, leak := range []string{secret, "plain-value", "1234", `"abc"`, `"s3"`} {
		if strings.Contains(got, leak) {
			t.Errorf("log holds %q:\n%s", leak, got)
		}
	}
	if !strings.Contains(got, "https://t.example/token") || !strings.Contains(got, "[REDACTED]") {
		t.Errorf("log:\n%s", got)
	}
}
