package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestSDKLogsStayOff: the SDK writes its own warnings straight to the
// process's stderr, not to the writer run was given. The credential
// chain of a machine without credentials ends at the instance metadata
// service; a fake one that refuses IMDSv2 tokens (403) makes the SDK
// warn "falling back to IMDSv1". With the configuration load builds,
// nothing of that reaches stderr.
func TestSDKLogsStayOff(t *testing.T) {
	var mu sync.Mutex
	var asked []string
	imds := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		asked = append(asked, r.Method+" "+r.URL.Path)
		mu.Unlock()
		if r.Method == http.MethodPut {
			http.Error(w, "IMDSv2 refused", http.StatusForbidden)
			return
		}
		http.NotFound(w, r)
	}))
	defer imds.Close()
	empty := filepath.Join(t.TempDir(), "empty")
	os.WriteFile(empty, nil, 0o644)
	for k, v := range map[string]string{
		"AWS_EC2_METADATA_SERVICE_ENDPOINT": imds.URL, "AWS_EC2_METADATA_DISABLED": "false", "AWS_REGION": "us-east-1",
		"AWS_CONFIG_FILE": empty, "AWS_SHARED_CREDENTIALS_FILE": empty, "AWS_PROFILE": "", "AWS_DEFAULT_PROFILE": "",
		"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_SESSION_TOKEN": "", "AWS_ROLE_ARN": "", "AWS_WEB_IDENTITY_TOKEN_FILE": "",
		"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "", "AWS_CONTAINER_CREDENTIALS_FULL_URI": "",
	} {
		t.Setenv(k, v)
	}
	// The SDK's default logger writes to os.Stderr as it is when the
	// configuration loads: catch it there.
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr := os.Stderr
	os.Stderr = w
	defer func() { os.Stderr = stderr }()
	caught := make(chan string)
	go func() {
		b, _ := io.ReadAll(r)
		caught <- string(b)
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cfg, err := awsFlags{timeout: 5 * time.Second}.load(ctx)
	if err == nil {
		_, err = cfg.Credentials.Retrieve(ctx)
	}
	os.Stderr = stderr
	w.Close()
	logged := <-caught
	if err == nil {
		t.Fatal("credentials from a metadata service that has none")
	}
	mu.Lock()
	defer mu.Unlock()
	if len(asked) == 0 || asked[0] != "PUT /latest/api/token" {
		t.Fatalf("the credential chain never reached the fake metadata service (asked %v): %v", asked, err)
	}
	if strings.TrimSpace(logged) != "" {
		t.Errorf("the SDK wrote to stderr:\n%s", logged)
	}
}
