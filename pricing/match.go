package pricing

import (
	"sort"
	"strings"
	"unicode"
)

// vendorWords are left out when names are compared: AWS writes "Anthropic
// Claude 3 Haiku" in one place and "Claude 3 Haiku" in another.
var vendorWords = map[string]bool{"amazon": true, "anthropic": true, "meta": true, "mistral": true, "ai": true, "ai21": true,
	"labs": true, "cohere": true, "g1": true, "deepseek": false}

// NormalName reduces a model name to the words that identify it:
// lower case, punctuation dropped (but "3.5" kept), vendor words left out.
func NormalName(name string) string {
	var words []string
	for _, w := range strings.FieldsFunc(strings.ToLower(name), func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.')
	}) {
		w = strings.Trim(w, ".")
		if w == "" || vendorWords[w] {
			continue
		}
		words = append(words, w)
	}
	return strings.Join(words, " ")
}

// MatchName returns the catalogue model ids whose name matches name (see
// NormalName): none, one, or several when the name is ambiguous.
func (c *Catalogue) MatchName(name string) []string {
	want := NormalName(name)
	if want == "" {
		return nil
	}
	var ids []string
	for id, m := range c.Models {
		if m.Name != "" && NormalName(m.Name) == want {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return ids
}
