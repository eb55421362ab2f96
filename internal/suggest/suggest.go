package suggest

import "strings"

// Closest returns the candidate closest to s by edit distance (ignoring
// case), or "" when none is close enough to be a likely typo.
func Closest(s string, candidates []string) string {
	// A candidate that starts with what was typed ("in" for "input") is
	// the likeliest meaning, whatever the edit distance says.
	for _, c := range candidates {
		if len(s) >= 2 && len(c) > len(s) && strings.HasPrefix(strings.ToLower(c), strings.ToLower(s)) {
			return c
		}
	}
	best, bestD := "", len(s)/2+2
	for _, c := range candidates {
		if d := editDistance(strings.ToLower(s), strings.ToLower(c)); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
