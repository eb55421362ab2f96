package workload

import (
	"bytes"
	"encoding/csv"
	"io"
	"runtime"
	"slices"
	"strings"
	"sync"
)

// split says how a read is shared among goroutines. Tests force tiny
// chunks, so that every boundary case is met with a few lines.
type split struct {
	workers int   // goroutines parsing chunks; under 2, the read is sequential
	chunk   int   // bytes a chunk holds, about: it ends at a line break
	min     int64 // inputs smaller than this are read sequentially
}

// defaultSplit shares a read among the cores the process may use. Below
// a megabyte the goroutines cost more than they save. A chunk of 128 KB
// is some 1,500 rows of a metrics file, a few tenths of a millisecond of
// parsing, against microseconds to hand it over. The chunks in flight,
// with their parsed rows, are live heap, which the garbage collector
// lets grow twice over: with 1 MB chunks a model-year's read peaked
// 30 MB higher than the sequential read (45 MB), with these about 10.
func defaultSplit() split {
	return split{workers: min(runtime.GOMAXPROCS(0), maxWorkers), chunk: 128 << 10, min: 1 << 20}
}

// maxWorkers bounds the goroutines one read parses with: the rows are put
// into series on one goroutine, which more parsers would only wait for,
// and every worker keeps chunks in memory.
const maxWorkers = 8

// chunk is a run of whole lines of the file, parsed by one worker and put
// into series, in file order, by the assembler.
type chunk struct {
	text string
	// lines is how many line breaks text holds, as far as the worker
	// parsed it (which is to the end unless the read ends inside).
	lines int
	rows  []chunkRow
	// probs holds the rows' field problems, row after row.
	probs []fieldProblem
	done  chan struct{} // the worker has parsed text (capacity 1)

	// A handover chunk is the rest of the input, from the first line with
	// a double quote on or after a read error, for the sequential reader
	// to finish: rest, then tail.
	handover bool
	rest     []byte
	tail     io.Reader
}

// chunkRow is one non-empty line of a chunk.
type chunkRow struct {
	// line is its number within the chunk, from 1; lineBytes its
	// length with the line break.
	line, lineBytes int
	// fields is how many fields a line has that has another number
	// than the header (0 for one that has as many): the CSV reader
	// refuses it, and the read ends there.
	fields int
	p      parsedRow
}

// readParallel reads a metrics CSV as readSequential does, parsing it on
// sp.workers goroutines. One goroutine reads the input into chunks of
// whole lines; the workers parse the chunks' records, each on its own
// (readSequential's fields and their problems); this goroutine, the
// assembler, takes the chunks in file order and puts their rows into
// series, as readSequential does row by row, and stops where it stops.
//
// Anything unusual goes to the sequential reader, whose behaviour is
// the reference: an input that ends before its header line does, a
// header with a double quote, the rest of the input after a read error,
// and the rest of the file from the first line holding a quote
// (recordReader hands quoted lines to encoding/csv; a line break inside
// quotes would cut a chunk wrongly).
func readParallel(r io.Reader, name string, size int64, sp split) (*Metrics, error) {
	// The head: the first chunk, read on until it holds the header line
	// whole. Input that ends in less than sp.min is not worth the
	// goroutines.
	need := sp.chunk
	if size < 0 {
		need = int(max(int64(need), sp.min))
	}
	need = max(need, 1)
	var head []byte
	var rerr error
	start, end, lines := 0, -1, 0 // the header line is head[start:end], line number lines
	empty := 0
	for {
		if len(head) >= need {
			if start, end, lines = headerLine(head); end >= 0 {
				break
			}
			need = 2 * len(head)
		}
		if rerr != nil {
			break
		}
		head = slices.Grow(head, need-len(head))
		n, err := r.Read(head[len(head):cap(head)])
		head, rerr = head[:len(head)+n], err
		rerr = noProgress(n, rerr, &empty)
	}
	if end < 0 || bytes.IndexByte(head[:end], '"') >= 0 {
		return readSequential(io.MultiReader(bytes.NewReader(head), tailAfter(r, rerr)), name, size)
	}
	header := strings.Split(string(stripLine(head[start:end])), ",")
	cols, err := readHeader(header, name)
	if err != nil {
		return nil, err
	}
	a := newAssembler(name, size, cols)

	pool := sp.workers + 3 // chunks in flight: one per worker, one being assembled, two being read
	free := make(chan *chunk, pool)
	for range pool {
		free <- &chunk{done: make(chan struct{}, 1)}
	}
	order := make(chan *chunk, pool+1) // the chunks in file order, and a handover last
	work := make(chan *chunk, pool)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		feed(r, head[end:], rerr, sp.chunk, free, order, work, stop)
	})
	for range sp.workers {
		wg.Go(func() {
			var rec []string
			for c := range work {
				select {
				case <-stop:
				default:
					rec = cols.parseChunk(c, rec)
				}
				c.done <- struct{}{}
			}
		})
	}
	// The chunks number their lines from 1; lines before them are base.
	base := lines
	for c := range order {
		if c.handover {
			cr := newRecordReader(io.MultiReader(bytes.NewReader(c.rest), c.tail))
			cr.numLine, cr.fields = base, cols.n
			a.records(cr)
			break
		}
		<-c.done
		probs := c.probs
		for i := range c.rows {
			if a.full() {
				break
			}
			row := &c.rows[i]
			line := base + row.line
			if row.fields > 0 {
				a.refuse(&csv.ParseError{StartLine: line, Line: line, Column: 1, Err: csv.ErrFieldCount}, row.fields)
				break
			}
			a.add(line, row.lineBytes, &row.p, probs[:row.p.probs])
			probs = probs[row.p.probs:]
		}
		if a.full() {
			break
		}
		base += c.lines
		c.text, c.rows, c.probs = "", c.rows[:0], c.probs[:0]
		free <- c
	}
	close(stop)
	wg.Wait()
	return a.result()
}

// feed reads the input after the header into chunks of whole lines, of
// about size bytes, and hands them out: to the assembler in file order,
// to the workers to parse. carry holds what was read past the header,
// and rerr what the last read returned. At the first double quote or
// read error, what is left goes to the assembler as a handover chunk,
// and feed stops reading.
func feed(r io.Reader, carry []byte, rerr error, size int, free <-chan *chunk, order, work chan<- *chunk, stop <-chan struct{}) {
	defer close(order)
	defer close(work)
	size = max(size, 1)
	buf := make([]byte, len(carry), max(len(carry), size))
	copy(buf, carry)
	empty := 0
	handover := func(from int, err error) {
		order <- &chunk{handover: true, rest: buf[from:], tail: tailAfter(r, err)}
	}
	send := func(text []byte) bool {
		var c *chunk
		select {
		case c = <-free:
		case <-stop:
			return false
		}
		c.text = string(text)
		order <- c // never blocks: the channels hold every chunk there is
		work <- c
		return true
	}
	want := size
	for {
		for rerr == nil && len(buf) < want {
			buf = slices.Grow(buf, want-len(buf))
			n, err := r.Read(buf[len(buf):want])
			buf, rerr = buf[:len(buf)+n], err
			rerr = noProgress(n, rerr, &empty)
		}
		if rerr != nil && rerr != io.EOF {
			handover(0, rerr)
			return
		}
		// A chunk's worth of whole lines (more when a line is longer
		// than a chunk, or the head left more), and at the end of the
		// input, what is left.
		end := rerr != nil && len(buf) <= want
		cut := len(buf)
		if !end {
			if cut = bytes.LastIndexByte(buf[:min(len(buf), want)], '\n') + 1; cut == 0 {
				cut = bytes.LastIndexByte(buf, '\n') + 1
			}
			switch {
			case cut == 0 && rerr == nil:
				want = 2 * len(buf) // a line longer than a chunk: read on
				continue
			case cut == 0:
				cut, end = len(buf), true
			}
		}
		want = size
		text := buf[:cut]
		if q := bytes.IndexByte(text, '"'); q >= 0 {
			from := bytes.LastIndexByte(text[:q], '\n') + 1
			if from > 0 && !send(text[:from]) {
				return
			}
			handover(from, rerr)
			return
		}
		if len(text) > 0 && !send(text) || end {
			return
		}
		buf = buf[:copy(buf, buf[cut:])]
	}
}

// parseChunk parses the lines of c as recordReader and columns.parse
// would, with rec as room for the fields, and returns the room.
func (cols *columns) parseChunk(c *chunk, rec []string) []string {
	text, line := c.text, 0
	c.lines = 0
	for len(text) > 0 {
		raw := text
		if i := strings.IndexByte(text, '\n'); i >= 0 {
			raw = text[:i+1]
		}
		text = text[len(raw):]
		line++
		if raw[len(raw)-1] == '\n' {
			c.lines++
		}
		l := stripLine(raw)
		if len(l) == 0 {
			continue // empty lines are skipped
		}
		rec = rec[:0]
		for {
			i := strings.IndexByte(l, ',')
			if i < 0 {
				rec = append(rec, l)
				break
			}
			rec = append(rec, l[:i])
			l = l[i+1:]
		}
		n := len(c.rows)
		c.rows = slices.Grow(c.rows, 1)[:n+1]
		row := &c.rows[n]
		row.line, row.lineBytes, row.fields = line, len(raw), 0
		if len(rec) != cols.n {
			row.fields = len(rec)
			break // the read ends at this line
		}
		cols.parse(&row.p, rec, &c.probs)
	}
	return rec
}

// stripLine cuts the line break off a line as recordReader does: \r\n
// or \n; a line without one is the last of the input, which loses a
// trailing \r instead.
func stripLine[S string | []byte](l S) S {
	n := len(l)
	switch {
	case n >= 2 && l[n-2] == '\r' && l[n-1] == '\n':
		return l[:n-2]
	case n >= 1 && (l[n-1] == '\n' || l[n-1] == '\r'):
		return l[:n-1]
	}
	return l
}

// headerLine finds the header in head: the first line that is not
// empty, as recordReader skips empty lines. It returns where the line
// starts and ends (after its line break) and its number; end is -1 when
// head holds no whole line that is not empty.
func headerLine(head []byte) (start, end, line int) {
	for ; ; start = end {
		i := bytes.IndexByte(head[start:], '\n')
		if i < 0 {
			return 0, -1, 0
		}
		end = start + i + 1
		line++
		if len(stripLine(head[start:end])) > 0 {
			return start, end, line
		}
	}
}

// noProgress turns a run of reads that return nothing, and no error, into
// io.ErrNoProgress, as bufio.Reader (and so the sequential read) does
// after a hundred.
func noProgress(n int, err error, empty *int) error {
	if n > 0 || err != nil {
		*empty = 0
		return err
	}
	if *empty++; *empty >= 100 {
		return io.ErrNoProgress
	}
	return nil
}

// tailAfter is what follows the bytes read from r, whose last read
// returned err: more of r, its end, or its error.
func tailAfter(r io.Reader, err error) io.Reader {
	switch err {
	case nil:
		return r
	case io.EOF:
		return strings.NewReader("")
	}
	return failedReader{err}
}

// failedReader is a reader whose read has failed.
type failedReader struct{ err error }

func (f failedReader) Read([]byte) (int, error) { return 0, f.err }
