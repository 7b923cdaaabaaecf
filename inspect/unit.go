package inspect

import "strings"

// UnitKind is what sort of place a unit is.
type UnitKind string

const (
	UnitOffice        UnitKind = "office"         // 机关科室
	UnitWindow        UnitKind = "window"         // 服务窗口
	UnitServiceCenter UnitKind = "service_center" // 行政服务中心
	UnitOther         UnitKind = "other"          // 其他
)

// UnitKinds in display order.
var UnitKinds = []UnitKind{UnitOffice, UnitWindow, UnitServiceCenter, UnitOther}

// StaffMember is one person on a unit's roster, so that attendance and
// badges can be checked person by person.
type StaffMember struct {
	Name   string `json:"name"`
	Post   string `json:"post,omitempty"`   // 职务/岗位
	Window string `json:"window,omitempty"` // 窗口号
}

// Unit is a 被检查单位.
type Unit struct {
	ID         string        `json:"id"`
	Name       string        `json:"name"`       // e.g. 区工商局企业登记科
	Department string        `json:"department"` // parent department, e.g. 区工商局
	Kind       UnitKind      `json:"kind"`
	Address    string        `json:"address,omitempty"`
	Staff      []StaffMember `json:"staff,omitempty"`
}

// Validate checks a unit before it is stored.
func (u *Unit) Validate() error {
	var errs ValidationErrors
	if strings.TrimSpace(u.Name) == "" {
		errs = append(errs, Errorf(ECodeInvalid, "unit.name_required", nil, "unit name is required"))
	}
	switch u.Kind {
	case UnitOffice, UnitWindow, UnitServiceCenter, UnitOther:
	default:
		errs = append(errs, Errorf(ECodeInvalid, "unit.bad_kind", map[string]any{"Value": string(u.Kind)},
			"unit kind %q is not one of office, window, service_center, other", u.Kind))
	}
	seen := map[string]bool{}
	for i, s := range u.Staff {
		name := strings.TrimSpace(s.Name)
		if name == "" {
			errs = append(errs, Errorf(ECodeInvalid, "unit.staff_name_required", map[string]any{"Row": i + 1},
				"staff %d: name is required", i+1))
			continue
		}
		if seen[name] {
			errs = append(errs, Errorf(ECodeInvalid, "unit.staff_duplicate", map[string]any{"Row": i + 1, "Name": name},
				"staff %d: %s is listed twice", i+1, name))
		}
		seen[name] = true
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}
