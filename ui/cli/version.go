package cli

import "runtime/debug"

// version is set at link time: go build -ldflags "-X faxwatch/ui/cli.version=v1.2.3".
var version string

// buildVersion is the link-time version, else the module version go install
// recorded, else "dev" with the commit the build came from, so support can
// tell builds apart.
func buildVersion() string {
	if version != "" {
		return version
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "dev"
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	rev, dirty := "", false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return "dev"
	}
	rev = rev[:min(len(rev), 12)]
	if dirty {
		rev += "-dirty"
	}
	return "dev (" + rev + ")"
}
