package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/bedrockplan/bedrockplan/reports"
)

// reportTarget decides where `report` writes: --out, or --from itself
// (replaced whole, so replace is true). inPlace says the target is the
// source folder, however the two are spelled. A target inside the source
// is refused: the copy would hold itself.
func reportTarget(from, out string, force bool) (target string, replace, inPlace bool, err error) {
	if out == "" {
		return from, true, true, nil
	}
	if fi, err := os.Stat(from); err == nil {
		if oi, err := os.Stat(out); err == nil && os.SameFile(fi, oi) {
			return from, true, true, nil
		}
	}
	absFrom, err1 := filepath.Abs(from)
	absOut, err2 := filepath.Abs(out)
	if err1 == nil && err2 == nil {
		if rel, err := filepath.Rel(absFrom, absOut); err == nil && rel != "." && filepath.IsLocal(rel) {
			return "", false, false, usagef("report: --out %s is inside --from %s; choose a folder outside it", out, from)
		}
	}
	return out, force, false, nil
}

// copyFolder copies the files and sub-folders of src (below rel) into
// folder as they are, so that a re-rendered report keeps everything its
// source held, and returns the names copied at the top. A symbolic link
// to a file is followed (the copy holds the file's content); a link to a
// folder, or to nothing, is copied as a link with the same target and
// never walked, so a link that points back up the tree (a loop) cannot
// make the copy recurse forever.
func copyFolder(folder *reports.Folder, src, rel string) ([]string, error) {
	entries, err := os.ReadDir(filepath.Join(src, rel))
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		name := filepath.Join(rel, e.Name())
		path := filepath.Join(src, name)
		if e.Type()&fs.ModeSymlink != 0 {
			if fi, err := os.Stat(path); err != nil || fi.IsDir() {
				target, err := os.Readlink(path)
				if err != nil {
					return nil, err
				}
				if err := folder.Symlink(target, name); err != nil {
					return nil, err
				}
				names = append(names, e.Name())
				continue
			}
		}
		fi, err := os.Stat(path)
		if err != nil {
			return nil, err
		}
		switch {
		case fi.IsDir():
			if err := folder.Mkdir(name); err != nil {
				return nil, err
			}
			if _, err := copyFolder(folder, src, name); err != nil {
				return nil, err
			}
		case fi.Mode().IsRegular():
			data, err := os.ReadFile(path)
			if err != nil {
				return nil, err
			}
			if err := folder.WriteBytes(name, data); err != nil {
				return nil, err
			}
		default:
			return nil, fmt.Errorf("report --from %s: %s is neither a file nor a folder; move it out first", src, name)
		}
		names = append(names, e.Name())
	}
	return names, nil
}
