package validate

import "strings"

// ruleOperators are the JSONLogic operators Novu's rules accept
// (libs/application-generic/src/services/query-parser/types.ts).
var ruleOperators = map[string]bool{}

func init() {
	for _, op := range strings.Fields(`and or ! == != > < >= <= in startsWith endsWith isEmpty isNonEmpty var contains
		doesNotContain doesNotBeginWith doesNotEndWith containsAny doesNotContainAny null notNull notIn`) {
		ruleOperators[op] = true
	}
}

// Rules checks an integration's rules, a JSONLogic object, the way Novu's
// assertIntegrationRules does, as far as the mock reproduces it: every
// object of one key is an operator, which must be one Novu knows; a var
// must name subscriber.*, context.*, workflow.name or workflow.tags (newer
// Novu refuses tenant.* and payload.* in new rules). It returns the issues,
// which Novu answers as one 400 joined by "; ".
func Rules(rules map[string]any) []string {
	var issues []string
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case []any:
			for _, e := range x {
				walk(e)
			}
		case map[string]any:
			if len(x) != 1 {
				for _, k := range sortedKeys(x) {
					walk(x[k])
				}
				return
			}
			for op, arg := range x {
				if !ruleOperators[op] {
					issues = append(issues, `Unsupported operator "`+op+`"`)
					continue
				}
				if op == "var" {
					if !ruleVar(arg) {
						issues = append(issues, "Value is not valid")
					}
					continue
				}
				walk(arg)
			}
		}
	}
	walk(rules)
	return issues
}

// ruleVar reports whether a var's argument ("path" or ["path", default])
// names data a rule may read.
func ruleVar(arg any) bool {
	if a, ok := arg.([]any); ok && len(a) > 0 {
		arg = a[0]
	}
	path, ok := arg.(string)
	if !ok {
		return false
	}
	return strings.HasPrefix(path, "subscriber.") || strings.HasPrefix(path, "context.") ||
		path == "workflow.name" || path == "workflow.tags"
}
