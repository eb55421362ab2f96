package reports

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// chromium finds Debian's Chromium (installed by .ci/run).
func chromium() string {
	for _, p := range []string{"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	return ""
}

// TestSummaryHTMLInBrowser opens summary.html from disk in headless
// Chromium: every image must load, the console must stay clean, and
// nothing may be fetched from anywhere. It saves a screenshot beside the
// report for a person to look at.
func TestSummaryHTMLInBrowser(t *testing.T) {
	bin := chromium()
	if bin == "" {
		t.Skip("Chromium not found (apt-get install chromium; .ci/run installs it): the browser test is skipped")
	}
	for _, lang := range []string{LangEnglish, LangJapanese} {
		t.Run(lang, func(t *testing.T) {
			r := seedReport(t, 7)
			r.Lang = lang
			if lang == LangJapanese {
				r.ChartFont = FindChartFont() // Japanese charts where the machine has the font
			}
			dir := writeReport(t, r)
			opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(bin), chromedp.NoSandbox, chromedp.Headless,
				chromedp.DisableGPU, chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
				chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true), chromedp.NoFirstRun,
				chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1200, 1600))
			actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
			defer cancel()
			ctx, cancel := chromedp.NewContext(actx)
			defer cancel()
			ctx, cancel = context.WithTimeout(ctx, 60*time.Second)
			defer cancel()
			var mu sync.Mutex
			var fetched, problems []string
			// Start the browser, then listen before anything loads.
			if err := chromedp.Do(ctx); err != nil {
				t.Fatal(err)
			}
			if err := chromedp.Listen(ctx, func(ev any) {
				mu.Lock()
				defer mu.Unlock()
				switch e := ev.(type) {
				case *network.EventRequestWillBeSent:
					if u := e.Request.URL; !strings.HasPrefix(u, "file://") && !strings.HasPrefix(u, "data:") {
						fetched = append(fetched, u)
					}
				case *runtime.EventConsoleAPICalled:
					if e.Type == runtime.ConsoleAPICalledTypeError {
						problems = append(problems, "console error")
					}
				case *runtime.EventExceptionThrown:
					problems = append(problems, "exception: "+e.ExceptionDetails.Text)
				case *log.EventEntryAdded:
					if e.Entry.Level == log.EntryLevelError {
						problems = append(problems, "log: "+e.Entry.Text)
					}
				}
			}); err != nil {
				t.Fatal(err)
			}
			page := "file://" + filepath.Join(dir, "summary.html")
			enable := chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
				if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
					return err
				}
				if _, err := chromedp.Call(ctx, log.Enable, cdp.Empty{}); err != nil {
					return err
				}
				_, err := chromedp.Call(ctx, runtime.Enable, cdp.Empty{})
				return err
			})
			if err := chromedp.Do(ctx, enable, chromedp.Navigate(page), chromedp.WaitReady("body")); err != nil {
				t.Fatal(err)
			}
			images, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.images.length`))
			if err != nil {
				t.Fatal(err)
			}
			broken, err := chromedp.Run(ctx, chromedp.Evaluate[int](`Array.from(document.images).filter(i => !i.complete || i.naturalWidth === 0).length`))
			if err != nil {
				t.Fatal(err)
			}
			shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatal(err)
			}
			mu.Lock()
			defer mu.Unlock()
			if images < 5 || broken != 0 {
				t.Errorf("%d images, %d did not load", images, broken)
			}
			if len(fetched) > 0 {
				t.Errorf("the page fetched %v", fetched)
			}
			if len(problems) > 0 {
				t.Errorf("console: %v", problems)
			}
			if len(shot) == 0 {
				t.Error("no screenshot")
			}
			out := filepath.Join(os.TempDir(), "bedrockplan-summary-"+lang+".png")
			if err := os.WriteFile(out, shot, 0o644); err == nil {
				t.Logf("screenshot: %s", out)
			}
		})
	}
}
