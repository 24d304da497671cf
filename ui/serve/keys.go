package serve

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	gossh "golang.org/x/crypto/ssh"
)

// maxAuthorizedKeysBytes bounds the authorized_keys file; a team's is a
// few kilobytes.
const maxAuthorizedKeysBytes = 1 << 20

// Person is one authorized key's owner: the key's comment.
type Person struct {
	Name        string
	Fingerprint string // SHA256:…
}

// AuthorizedKeys maps each key (its wire form) to its person.
type AuthorizedKeys map[string]Person

// LoadAuthorizedKeys reads an OpenSSH authorized_keys file. It refuses a
// missing or empty file, one that others can write (anyone who can add a
// line can log in), and a key without a comment (the comment is the name
// the team sees).
func LoadAuthorizedKeys(path string) (AuthorizedKeys, error) {
	if path == "" {
		return nil, errors.New("[serve] authorized_keys is not set; point it at an OpenSSH authorized_keys file whose key comments are people's names")
	}
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("[serve] authorized_keys %s: %w; create it with one line per person (ssh-ed25519 AAAA… alice)", path, err)
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("[serve] authorized_keys %s is not a regular file", path)
	}
	if info.Mode().Perm()&0o022 != 0 {
		return nil, fmt.Errorf("[serve] authorized_keys %s can be written by others (mode %04o); run: chmod go-w %s", path, info.Mode().Perm(), path)
	}
	if info.Size() > maxAuthorizedKeysBytes {
		return nil, fmt.Errorf("[serve] authorized_keys %s is over 1 MiB", path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("[serve] authorized_keys: %w", err)
	}
	keys := AuthorizedKeys{}
	for n, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		pk, comment, _, _, err := gossh.ParseAuthorizedKey([]byte(line))
		if err != nil {
			return nil, fmt.Errorf("%s:%d: not an OpenSSH public key: %v", path, n+1, err)
		}
		name := strings.TrimSpace(comment)
		if name == "" || !validName(name) {
			return nil, fmt.Errorf("%s:%d: the key's comment must be the person's name (letters, digits, . _ @ -), e.g. ssh-ed25519 AAAA… alice", path, n+1)
		}
		keys[string(pk.Marshal())] = Person{Name: name, Fingerprint: gossh.FingerprintSHA256(pk)}
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("[serve] authorized_keys %s has no key; add one line per person", path)
	}
	return keys, nil
}

// validName keeps names to what reads well in a header and a log line.
func validName(s string) bool {
	if len(s) > 64 {
		return false
	}
	for _, r := range s {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._@-", r)
		if !ok {
			return false
		}
	}
	return true
}

// Lookup finds the person a key belongs to.
func (a AuthorizedKeys) Lookup(pk gossh.PublicKey) (Person, bool) {
	p, ok := a[string(pk.Marshal())]
	return p, ok
}

// LoadOrCreateHostKey reads the server's ed25519 host key at path, or
// makes one (0600, its folder 0700) at first start. created says it is new.
func LoadOrCreateHostKey(path string) (signer gossh.Signer, created bool, err error) {
	data, err := os.ReadFile(path)
	if err == nil {
		if info, err := os.Stat(path); err == nil && info.Mode().Perm()&0o077 != 0 {
			return nil, false, fmt.Errorf("host key %s is readable by others (mode %04o); run: chmod 600 %s", path, info.Mode().Perm(), path)
		}
		signer, err := gossh.ParsePrivateKey(data)
		if err != nil {
			return nil, false, fmt.Errorf("host key %s: %v; move it aside and a new one is made at the next start", path, err)
		}
		return signer, false, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, false, fmt.Errorf("host key: %w", err)
	}
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, false, fmt.Errorf("host key: %w", err)
	}
	block, err := gossh.MarshalPrivateKey(priv, "faxwatch serve host key")
	if err != nil {
		return nil, false, fmt.Errorf("host key: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, false, fmt.Errorf("host key folder: %w", err)
	}
	// O_EXCL: two servers starting at once never overwrite each other's key.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, false, fmt.Errorf("host key: %w", err)
	}
	if _, err := f.Write(pem.EncodeToMemory(block)); err != nil {
		_ = f.Close()
		_ = os.Remove(path)
		return nil, false, fmt.Errorf("host key: %w", err)
	}
	if err := f.Close(); err != nil {
		_ = os.Remove(path)
		return nil, false, fmt.Errorf("host key: %w", err)
	}
	signer, err = gossh.NewSignerFromKey(priv)
	return signer, true, err
}
