package twiliosig

import (
	"cmp"
	"slices"
)

// Param is one name and value of a POST form, as a parser that keeps the
// form's pairs in order, repeated names included, yields them.
type Param struct {
	Name, Value string
}

// pooledState is what a Checker reuses: a macState, and room to sort the
// pairs of ValidParams.
type pooledState struct {
	macState
	sorted []Param
}

// ValidParams is Valid for a POST form given as its pairs, in any order
// (nil for a GET): a repeated name signs once for each distinct value, as
// in Valid. params is left as it is. It spares a caller that parses forms
// itself from building url.Values.
func (c *Checker) ValidParams(fullURL string, params []Param, signature string) bool {
	want, ok := decodeSignature(signature)
	if !ok {
		return false
	}
	st := c.macs.Get().(*pooledState)
	st.setParams(params)
	ok = st.matches(fullURL, &want)
	c.put(st)
	return ok
}

// setParams is setForm for pairs: sorted by name and then by value, an
// identical pair written once, which is the order and deduplication
// setForm gives the same form as url.Values.
func (st *pooledState) setParams(params []Param) {
	sorted := append(st.sorted[:0], params...)
	slices.SortFunc(sorted, compareParams)
	out := st.params[:0]
	for i, p := range sorted {
		if i > 0 && p == sorted[i-1] {
			continue
		}
		out = append(out, p.Name...)
		out = append(out, p.Value...)
	}
	st.params = out
	clear(sorted) // a pooled state holds no reference to a request's values
	st.sorted = sorted[:0]
}

func compareParams(a, b Param) int {
	if c := cmp.Compare(a.Name, b.Name); c != 0 {
		return c
	}
	return cmp.Compare(a.Value, b.Value)
}
