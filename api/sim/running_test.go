package sim

import (
	"bufio"
	"bytes"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

func TestStartServesOnLoopbackOnly(t *testing.T) {
	s, _ := newSim(t, Options{Jobs: 3})
	for _, addr := range []string{"0.0.0.0:0", "192.0.2.1:0", ":0", "example.com:80", "nonsense"} {
		if r, err := s.Start(addr); err == nil {
			_ = r.Close()
			t.Errorf("Start(%q) accepted", addr)
		}
	}
	r, err := s.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if !regexp.MustCompile(`^http://127\.0\.0\.1:[0-9]+$`).MatchString(r.URL) || r.Endpoint() != r.URL+"/fax/v5" || r.TokenURL() != r.URL+"/oauth2/token" {
		t.Fatalf("URLs %s %s %s", r.URL, r.Endpoint(), r.TokenURL())
	}
	resp, err := http.Get(r.URL + "/fax/v5/faxws.wsdl")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), `location="`+r.Endpoint()+`"`) {
		t.Error("served WSDL does not point at the listener")
	}
}

func TestBannerIsTheContract(t *testing.T) {
	s, _ := newSim(t, Options{Seed: 2, Jobs: 3})
	var b bytes.Buffer
	if err := s.WriteBanner(&b, "http://127.0.0.1:8099"); err != nil {
		t.Fatal(err)
	}
	c := s.Credentials()
	ids := idStrings(s.JobIDs())
	want := "endpoint: http://127.0.0.1:8099/fax/v5\n" +
		"token_url: http://127.0.0.1:8099/oauth2/token\n" +
		"user_id: " + c.UserID + "\n" +
		"client_id: " + c.ClientID + "\n" +
		"client_secret: " + c.ClientSecret + "\n" +
		"pin: " + c.PIN + "\n" +
		"jobs: " + strings.Join(ids, " ") + "\n"
	if b.String() != want {
		t.Fatalf("banner:\n%s\nwant:\n%s", b.String(), want)
	}
	sc := bufio.NewScanner(&b)
	keys := []string{}
	for sc.Scan() {
		k, _, ok := strings.Cut(sc.Text(), ": ")
		if !ok {
			t.Fatalf("line %q is not key: value", sc.Text())
		}
		keys = append(keys, k)
	}
	if strings.Join(keys, ",") != "endpoint,token_url,user_id,client_id,client_secret,pin,jobs" {
		t.Errorf("keys %v", keys)
	}
	if !regexp.MustCompile(`^mbx[0-9]{10}$`).MatchString(c.UserID) || !strings.HasPrefix(c.ClientSecret, "sim-") {
		t.Errorf("credentials not in the documented, obviously fake shape: %q %q", c.UserID, c.ClientSecret)
	}
}
