// Package suggest finds the likely intended word behind a typo, for
// "did you mean" hints in error messages.
package suggest
