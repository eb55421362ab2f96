package reports

import (
	"bytes"
	"strings"
	"testing"
)

// TestReadPlanHostile: plan files that must be refused, each with the
// file, line and field in the message.
func TestReadPlanHostile(t *testing.T) {
	const head = "model_id: m\nrouting: spillover\n"
	for _, c := range []struct{ name, in, want string }{
		{"two documents", head + "---\nmodel_id: other\n", "plan.yaml:3: a second YAML document (after ---); one file holds one document"},
		{"Local", head + "timezone: Local\n", `plan.yaml:3: timezone: "Local" is whatever zone the machine is set to`},
		{"bad zone", head + "timezone: ../../etc/passwd\n", `plan.yaml:3: timezone: "../../etc/passwd" is not an IANA time zone`},
		{"huge units", head + "committed:\n  - {model_units: 9223372036854775807, term: none, start: 2026-12-01T00:00:00Z}\n",
			"plan.yaml:4: committed[0].model_units: 9223372036854775807: at most 10000"},
		{"units overflow", head + "committed:\n  - {model_units: 1e300, term: none, start: 2026-12-01T00:00:00Z}\n", "plan.yaml:4: cannot unmarshal !!float `1e300` into int"},
		{"negative units", head + "scheduled:\n  - {model_units: -1, days: [mon], from: \"09:00\", to: \"17:00\"}\n", "plan.yaml:4: scheduled[0].model_units: -1: want at least 1"},
		{"year 9999", head + "committed:\n  - {model_units: 1, term: none, start: 9999-12-01T00:00:00Z}\n", `plan.yaml:4: committed[0].start: "9999-12-01T00:00:00Z" is outside the years 2000 to 2099`},
		{"bad clock", head + "scheduled:\n  - {model_units: 1, days: [mon], from: \"25:00\", to: \"17:00\"}\n", `plan.yaml:4: scheduled[0].from: "25:00" is not a start time`},
		{"unknown field", head + "comitted: []\n", `plan.yaml:3: unknown field "comitted" (did you mean "committed"?)`},
		{"garbage", head + "\x00\x01", "plan.yaml"},
		{"empty", "", "plan.yaml: empty document"},
	} {
		_, err := ReadPlan(strings.NewReader(c.in), "plan.yaml")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v\nwant %s", c.name, err, c.want)
		}
	}
	// A trailing --- with nothing after it is harmless.
	if _, err := ReadPlan(strings.NewReader(head+"---\n"), "plan.yaml"); err != nil {
		t.Errorf("trailing ---: %v", err)
	}
}

// FuzzReadPlan: whatever ReadPlan accepts, WritePlan writes and ReadPlan
// reads back to the same plan file; nothing panics.
func FuzzReadPlan(f *testing.F) {
	f.Add([]byte("model_id: m\nregion: us-east-1\ntimezone: Asia/Tokyo\ncommitted:\n  - {model_units: 2, term: six_months, start: 2026-12-01T00:00:00Z}\n" +
		"scheduled:\n  - {model_units: 1, days: [mon, tue], from: \"09:00\", to: \"17:00\"}\nrouting: spillover\npt_windows:\n  - {days: [sat], from: \"22:00\", to: \"02:00\"}\n"))
	f.Add([]byte("model_id: m\nrouting: provisioned-only\n---\nmodel_id: n\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ReadPlan(bytes.NewReader(data), "f.yaml")
		if err != nil {
			return
		}
		var first bytes.Buffer
		if err := WritePlan(&first, p); err != nil {
			t.Fatal(err)
		}
		back, err := ReadPlan(bytes.NewReader(first.Bytes()), "again.yaml")
		if err != nil {
			t.Fatalf("written plan does not read back: %v\n%s", err, first.Bytes())
		}
		var second bytes.Buffer
		if err := WritePlan(&second, back); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first.Bytes(), second.Bytes()) {
			t.Fatalf("round trip changed the plan:\n%s\n%s", first.Bytes(), second.Bytes())
		}
	})
}

// TestReadPlans reads several plans as a YAML list and as documents, and
// a problem in the second plan keeps its line in the file.
func TestReadPlans(t *testing.T) {
	one := "model_id: a\nregion: us-east-1\ncommitted:\n  - {model_units: 1, term: one_month, start: 2030-01-01T00:00:00Z}\n"
	two := "model_id: b\ncommitted:\n  - {model_units: 2, term: six_months, start: 2030-01-01T00:00:00Z}\n"
	list := "# two plans\n- " + strings.ReplaceAll(strings.TrimSuffix(one, "\n"), "\n", "\n  ") + "\n- " + strings.ReplaceAll(strings.TrimSuffix(two, "\n"), "\n", "\n  ") + "\n"
	for name, text := range map[string]string{"documents": one + "---\n" + two + "---\n", "list": list} {
		plans, err := ReadPlans(strings.NewReader(text), "plans.yaml")
		if err != nil {
			t.Fatalf("%s: %v\n%s", name, err, text)
		}
		if len(plans) != 2 || plans[0].ModelID != "a" || plans[0].Region != "us-east-1" || plans[1].ModelID != "b" ||
			plans[1].Committed[0].ModelUnits != 2 || plans[1].Committed[0].Term != "six_months" {
			t.Errorf("%s: got %+v", name, plans)
		}
	}
	bad := one + "---\nmodel_id: b\ncommitted:\n  - {model_units: -2, term: six_months, start: 2030-01-01T00:00:00Z}\n"
	if _, err := ReadPlans(strings.NewReader(bad), "plans.yaml"); err == nil || !strings.Contains(err.Error(), "plans.yaml:8:") {
		t.Errorf("want the problem at plans.yaml:8, got %v", err)
	}
	badList := "- model_id: a\n- model_id: b\n  committed:\n    - {model_units: -2, term: six_months, start: 2030-01-01T00:00:00Z}\n"
	if _, err := ReadPlans(strings.NewReader(badList), "plans.yaml"); err == nil || !strings.Contains(err.Error(), "plans.yaml:4:") {
		t.Errorf("want the list's problem at plans.yaml:4, got %v", err)
	}
}
