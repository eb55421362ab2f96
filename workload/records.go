package workload

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
)

// recordReader reads CSV records exactly as an encoding/csv Reader with
// ReuseRecord does (every record, line number and error the same), in
// about half its time on a metrics file. A line without a double quote,
// which is every line a metrics file is written with, is cut at its
// commas: one string for the record, its fields slices of it, where
// encoding/csv copies every field byte by byte. From the first line that
// holds a quote on, the rest of the file goes to encoding/csv itself, so
// quoted fields (commas, quotes and line breaks inside them) and the
// errors of bad quoting read as they always have.
type recordReader struct {
	br      *bufio.Reader
	long    []byte // a line longer than br's buffer, put together
	numLine int    // lines read, as encoding/csv counts them
	recLine int    // line of the record last returned
	fields  int    // fields a record has: the first record's count
	// lineBytes is the length of the line last read, line break
	// included (0 once encoding/csv reads).
	lineBytes int
	rec       []string
	// cr reads the rest of the file from the first line with a quote,
	// whose line number is lineBase+1.
	cr       *csv.Reader
	lineBase int
}

func newRecordReader(r io.Reader) *recordReader {
	return &recordReader{br: bufio.NewReaderSize(r, 64<<10)}
}

// Line is the line the record last read starts on (encoding/csv's
// FieldPos(0)).
func (r *recordReader) Line() int {
	if r.cr != nil {
		line, _ := r.cr.FieldPos(0)
		return r.lineBase + line
	}
	return r.recLine
}

// Read returns the next record, as csv.Reader.Read does with ReuseRecord
// set and FieldsPerRecord 0: the slice is reused from call to call.
func (r *recordReader) Read() ([]string, error) {
	if r.cr != nil {
		rec, err := r.cr.Read()
		return rec, r.shift(err)
	}
	for {
		raw, err := r.br.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			r.long = append(r.long[:0], raw...)
			for err == bufio.ErrBufferFull {
				raw, err = r.br.ReadSlice('\n')
				r.long = append(r.long, raw...)
			}
			raw = r.long
		}
		if bytes.IndexByte(raw, '"') >= 0 {
			r.lineBytes = 0
			return r.handOver(raw)
		}
		r.lineBytes = len(raw)
		// What encoding/csv's readLine does: a last line without a line
		// break loses a trailing \r, and \r\n ends a line as \n does.
		line := raw
		if len(line) > 0 && err == io.EOF {
			err = nil
			if line[len(line)-1] == '\r' {
				line = line[:len(line)-1]
			}
		}
		r.numLine++
		if n := len(line); n >= 2 && line[n-2] == '\r' && line[n-1] == '\n' {
			line = line[:n-2]
		} else if n >= 1 && line[n-1] == '\n' {
			line = line[:n-1]
		}
		if err != nil {
			return nil, err // io.EOF at the end, or the reader's error
		}
		if len(line) == 0 {
			continue // empty lines are skipped
		}
		return r.split(line)
	}
}

// split cuts a line without quotes into fields at its commas.
func (r *recordReader) split(line []byte) ([]string, error) {
	r.recLine = r.numLine
	s := string(line)
	r.rec = r.rec[:0]
	for {
		i := strings.IndexByte(s, ',')
		if i < 0 {
			r.rec = append(r.rec, s)
			break
		}
		r.rec = append(r.rec, s[:i])
		s = s[i+1:]
	}
	if r.fields == 0 {
		r.fields = len(r.rec)
	} else if len(r.rec) != r.fields {
		return r.rec, &csv.ParseError{StartLine: r.recLine, Line: r.recLine, Column: 1, Err: csv.ErrFieldCount}
	}
	return r.rec, nil
}

// handOver gives the rest of the file, from raw (the line just read, as
// read) on, to encoding/csv, expecting the fields per record already
// seen, and returns its first record.
func (r *recordReader) handOver(raw []byte) ([]string, error) {
	r.lineBase = r.numLine
	r.cr = csv.NewReader(io.MultiReader(bytes.NewReader(bytes.Clone(raw)), r.br))
	r.cr.ReuseRecord = true
	r.cr.FieldsPerRecord = r.fields
	rec, err := r.cr.Read()
	return rec, r.shift(err)
}

// shift numbers the lines of an encoding/csv error from the start of
// the file rather than from the line handed over.
func (r *recordReader) shift(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		shifted := *pe
		shifted.StartLine += r.lineBase
		shifted.Line += r.lineBase
		return &shifted
	}
	return err
}
