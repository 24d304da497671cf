package config

import (
	"context"
	"strings"
	"testing"
)

// TestSecretCommandErrorShowsNoSecret: the command, through the whole
// config path: the exit status is named, the stderr line is not.
func TestSecretCommandErrorShowsNoSecret(t *testing.T) {
	dir := t.TempDir()
	echoes := secretScript(t, dir, "echoes.sh", `printf 'half-printed-value'; echo "cannot find half-printed-value" >&2; exit 5`)
	tests := []struct {
		name, auth string
		env        map[string]string
		hidden     []string
		want       string
	}{
		{"token on stderr", `client_secret_cmd = "sh -c 'echo token: s3cr3t >&2; exit 3'"`, nil,
			[]string{"s3cr3t", "token:"}, `auth.client_secret_cmd: "sh" failed: exit status 3 (its error output is not shown`},
		{"echoes its output", `client_secret_cmd = "` + echoes + `"`, nil,
			[]string{"half-printed-value"}, "exit status 5 (its error output is not shown"},
		{"echoes an exported secret", `client_secret_cmd = "sh -c 'echo using $FAXWATCH_TOKEN >&2; exit 2'"`,
			map[string]string{"FAXWATCH_TOKEN": "tok-from-env"}, []string{"tok-from-env"}, "exit status 2 (its error output"},
	}
	base := "[api]\nuser_id = \"mbx1\"\n[auth]\ntoken_url = \"https://t.example/token\"\nclient_id = \"cid\"\n"
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, _, err := loadFrom(t, base+tt.auth+"\n", nil)
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range tt.env {
				t.Setenv(k, v) // the command's environment
			}
			_, err = cfg.ResolveAuth(context.Background(), envOf(tt.env))
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			for _, h := range tt.hidden {
				if strings.Contains(msg, h) {
					t.Errorf("message shows %q: %s", h, msg)
				}
			}
			if !strings.Contains(msg, tt.want) {
				t.Errorf("message %q lacks %q", msg, tt.want)
			}
		})
	}
}
