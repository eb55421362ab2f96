package reports

import (
	"bytes"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
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

// TestSummaryPrintsWithoutOrphans prints summary.html to A4 PDF in
// headless Chromium with the last section (Reproduce) pushed across a
// page break by a spacer before it: the last page must hold the whole
// section, never its last line or two alone. The section's length in
// lines is measured first, printed on a page of its own; then the
// spacer is grown until the document takes one page more (the break
// then falls just before the section's last line) and on through the
// section's height.
func TestSummaryPrintsWithoutOrphans(t *testing.T) {
	bin := chromium()
	if bin == "" {
		t.Skip("Chromium not found (apt-get install chromium; .ci/run installs it): the print test is skipped")
	}
	for _, lang := range []string{LangEnglish, LangJapanese} {
		t.Run(lang, func(t *testing.T) {
			r := seedReport(t, 7)
			r.Lang, r.Version = lang, "test"
			r.Inputs = []Input{{Name: "metrics.csv", SHA256: strings.Repeat("0123456789abcdef", 4)}}
			if lang == LangJapanese {
				r.ChartFont = FindChartFont()
			}
			dir := writeReport(t, r)
			opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(bin), chromedp.NoSandbox, chromedp.Headless,
				chromedp.DisableGPU, chromedp.Flag("disable-background-networking", true), chromedp.NoFirstRun, chromedp.UserDataDir(t.TempDir()))
			actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
			defer cancel()
			ctx, cancel := chromedp.NewContext(actx)
			defer cancel()
			ctx, cancel = context.WithTimeout(ctx, 5*time.Minute)
			defer cancel()
			if err := chromedp.Do(ctx, chromedp.Navigate("file://"+filepath.Join(dir, "summary.html")), chromedp.WaitReady("body")); err != nil {
				t.Fatal(err)
			}
			// The charts become blank boxes of their shape (printing the
			// PNGs takes most of the time, and the test is about text), and
			// a spacer stands before the last section.
			if _, err := chromedp.Run(ctx, chromedp.Evaluate[int](`(() => {
				Array.from(document.images).forEach(i => {
					const box = document.createElement('div');
					box.style.cssText = 'width: 100%; max-width: ' + i.naturalWidth + 'px; aspect-ratio: ' + i.naturalWidth + ' / ' + i.naturalHeight;
					i.replaceWith(box);
				});
				const s = document.querySelectorAll('section');
				const sp = document.createElement('div');
				sp.id = 'probe-spacer';
				s[s.length-1].before(sp);
				document.head.appendChild(Object.assign(document.createElement('style'), {id: 'probe-style'}));
				return s.length;
			})()`)); err != nil {
				t.Fatal(err)
			}
			// print lays the page out with css added and a spacer of px
			// pixels, and returns its page count and the lines of text on
			// its last page.
			print := func(css string, px int) (pages, lines int) {
				t.Helper()
				js := fmt.Sprintf(`document.getElementById('probe-style').textContent = %q; document.getElementById('probe-spacer').style.height = '%dpx'; 1`, css, px)
				if _, err := chromedp.Run(ctx, chromedp.Evaluate[int](js)); err != nil {
					t.Fatal(err)
				}
				res, err := chromedp.Call(ctx, page.PrintToPDF, page.PrintToPDFParams{PreferCSSPageSize: new(true)})
				if err != nil {
					t.Fatal(err)
				}
				pages, lines, err = lastPageLines(res.Data)
				if err != nil {
					t.Fatal(err)
				}
				return pages, lines
			}
			_, whole := print("@media print { section:last-of-type { break-before: page; } }", 0)
			if whole < 4 {
				t.Fatalf("the last section printed alone has %d lines", whole)
			}
			// A4 less the margins is about 1,000 CSS pixels: within that
			// much spacer the document takes a page more.
			first, _ := print("", 0)
			lo, hi := 0, 1100
			if pages, _ := print("", hi); pages <= first {
				t.Fatalf("%dpx more did not add a page to %d", hi, first)
			}
			for hi-lo > 8 {
				if mid := (lo + hi) / 2; func() bool { pages, _ := print("", mid); return pages > first }() {
					hi = mid
				} else {
					lo = mid
				}
			}
			for px := hi; px <= hi+90; px += 30 {
				if pages, lines := print("", px); lines < whole {
					t.Errorf("spacer %dpx: the last of %d pages has %d lines, less than the %d of the last section", px, pages, lines, whole)
				}
			}
		})
	}
}

// lastPageLines reads a PDF as Chromium writes it (plain objects, Flate
// content streams, text placed by "1 0 0 -1 x y Tm") and returns its
// page count and how many lines of text its last page holds: the
// distinct baselines.
func lastPageLines(pdf []byte) (pages, lines int, err error) {
	objs := map[int][]byte{}
	for _, m := range regexp.MustCompile(`(\d+) 0 obj`).FindAllSubmatchIndex(pdf, -1) {
		end := bytes.Index(pdf[m[1]:], []byte("endobj"))
		if end < 0 {
			continue
		}
		n, _ := strconv.Atoi(string(pdf[m[2]:m[3]]))
		objs[n] = pdf[m[1] : m[1]+end]
	}
	ref := regexp.MustCompile(`(\d+) 0 R`)
	var root []byte
	for _, o := range objs {
		if bytes.Contains(o, []byte("/Type /Pages")) && !bytes.Contains(o, []byte("/Parent")) {
			root = o
		}
	}
	if root == nil {
		return 0, 0, errors.New("no page tree")
	}
	if m := regexp.MustCompile(`/Count (\d+)`).FindSubmatch(root); m != nil {
		pages, _ = strconv.Atoi(string(m[1]))
	}
	// The last leaf of the page tree is the last page.
	node := root
	for bytes.Contains(node, []byte("/Type /Pages")) {
		kids := regexp.MustCompile(`/Kids \[([^\]]*)\]`).FindSubmatch(node)
		if kids == nil {
			return 0, 0, errors.New("a page tree node without kids")
		}
		all := ref.FindAllSubmatch(kids[1], -1)
		n, _ := strconv.Atoi(string(all[len(all)-1][1]))
		node = objs[n]
	}
	contents := regexp.MustCompile(`/Contents (\[[^\]]*\]|\d+ 0 R)`).FindSubmatch(node)
	if contents == nil {
		return 0, 0, errors.New("the last page has no contents")
	}
	baselines := map[int]bool{}
	for _, c := range ref.FindAllSubmatch(contents[1], -1) {
		n, _ := strconv.Atoi(string(c[1]))
		obj := objs[n]
		i := bytes.Index(obj, []byte("stream"))
		length := regexp.MustCompile(`/Length (\d+)`).FindSubmatch(obj)
		if i < 0 || length == nil {
			return 0, 0, fmt.Errorf("object %d is not a stream", n)
		}
		i += len("stream")
		for i < len(obj) && (obj[i] == '\r' || obj[i] == '\n') {
			i++
		}
		size, _ := strconv.Atoi(string(length[1]))
		zr, err := zlib.NewReader(bytes.NewReader(obj[i : i+size]))
		if err != nil {
			return 0, 0, err
		}
		text, err := io.ReadAll(zr)
		if err != nil {
			return 0, 0, err
		}
		for _, m := range regexp.MustCompile(`1 0 0 -1 [-\d.]+ ([-\d.]+) Tm`).FindAllSubmatch(text, -1) {
			y, _ := strconv.ParseFloat(string(m[1]), 64)
			baselines[int(math.Round(y/4))] = true // runs of one line differ by a pixel or two
		}
	}
	return pages, len(baselines), nil
}
