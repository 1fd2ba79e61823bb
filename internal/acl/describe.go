package acl

import (
	"strings"

	"github.com/modis/modis/internal/command"
)

// Describe returns the user's rules in ACL LIST's canonical form (without
// "user <name> "): flags, password hashes, the root selector, then the
// other selectors in parentheses.
func (u *User) Describe(cmds Commands) string {
	if u.described != nil {
		return *u.described
	}
	var b strings.Builder
	for _, f := range userFlagNames {
		if u.Flags&f.flag != 0 {
			b.WriteString(f.name)
			b.WriteByte(' ')
		}
	}
	for _, p := range u.Passwords {
		b.WriteByte('#')
		b.WriteString(p)
		b.WriteByte(' ')
	}
	for _, s := range u.Selectors {
		if s.IsRoot() {
			b.WriteString(s.Describe(cmds))
		} else {
			b.WriteString(" (")
			b.WriteString(s.Describe(cmds))
			b.WriteByte(')')
		}
	}
	str := b.String()
	u.described = &str
	return str
}

// Describe returns the selector's rules: key patterns, channels, commands.
func (s *Selector) Describe(cmds Commands) string {
	var b strings.Builder
	if s.AllKeys() {
		b.WriteString("~* ")
	} else {
		for _, k := range s.Keys {
			b.WriteString(k.String())
			b.WriteByte(' ')
		}
	}
	if s.AllChannels() {
		b.WriteString("&* ")
	} else {
		b.WriteString("resetchannels ")
		for _, c := range s.Channels {
			b.WriteByte('&')
			b.WriteString(c)
			b.WriteByte(' ')
		}
	}
	b.WriteString(s.CommandRules(cmds))
	return b.String()
}

// KeysString is ACL GETUSER's "keys" field.
func (s *Selector) KeysString() string {
	if s.AllKeys() {
		return "~*"
	}
	parts := make([]string, len(s.Keys))
	for i, k := range s.Keys {
		parts[i] = k.String()
	}
	return strings.Join(parts, " ")
}

// ChannelsString is ACL GETUSER's "channels" field.
func (s *Selector) ChannelsString() string {
	if s.AllChannels() {
		return "&*"
	}
	parts := make([]string, len(s.Channels))
	for i, c := range s.Channels {
		parts[i] = "&" + c
	}
	return strings.Join(parts, " ")
}

// CommandRules rebuilds a short rule string that yields exactly the
// selector's command bitmap, as Redis 7.0 does: start from +@all or -@all
// (by the future-commands bit), then greedily apply the category that best
// fits the remaining differences, then single commands and first args.
func (s *Selector) CommandRules(cmds Commands) string {
	var b strings.Builder
	additive := !s.future
	fake := &Selector{}
	if additive {
		b.WriteString("-@all ")
		fake.setAll(false)
	} else {
		b.WriteString("+@all ")
		fake.setAll(true)
	}
	env := &Env{Cmds: cmds}
	temp := &Selector{bits: append([]uint64(nil), s.bits...), future: s.future}
	// Every command with its id and categories, looked up once.
	type entry struct {
		id  int
		cat command.Categories
	}
	var flat []entry
	walk(cmds.All(), func(spec *command.Spec) { flat = append(flat, entry{ID(spec), spec.ACL}) })
	names := command.CategoryNames()
	applied := make([]bool, len(names))
	for {
		best, minDiff, maxSame := -1, int(^uint(0)>>1), 0
		for j := range names {
			if applied[j] {
				continue
			}
			cat := command.Categories(1) << j
			on, off := 0, 0
			for _, e := range flat {
				if e.cat&cat != 0 {
					if temp.bit(e.id) {
						on++
					} else {
						off++
					}
				}
			}
			diff, same := off, on
			if !additive {
				diff, same = on, off
			}
			if same > diff && (diff < minDiff || diff == minDiff && same > maxSame) {
				best, minDiff, maxSame = j, diff, same
			}
		}
		if best < 0 {
			break
		}
		op, inv := "+@", "-@"
		if !additive {
			op, inv = inv, op
		}
		env.applySelector(fake, op+names[best])
		env.applySelector(temp, inv+names[best])
		b.WriteString(op + names[best])
		b.WriteByte(' ')
		applied[best] = true
	}
	s.singleCommandRules(&b, fake, cmds.All())
	str := b.String()
	return str[:len(str)-1]
}

// singleCommandRules emits +cmd / -cmd for every bit that still differs
// between the selector and the rules so far, and the first-arg rules.
func (s *Selector) singleCommandRules(b *strings.Builder, fake *Selector, specs []*command.Spec) {
	for _, spec := range specs {
		id := ID(spec)
		user, f := s.bit(id), fake.bit(id)
		if user != f {
			if user {
				b.WriteByte('+')
			} else {
				b.WriteByte('-')
			}
			b.WriteString(spec.Name)
			b.WriteByte(' ')
			fake.changePerm(spec, user)
		}
		s.singleCommandRules(b, fake, spec.Subcommands)
		if !user {
			for _, a := range s.firstArgs[id] {
				b.WriteString("+" + spec.Name + "|" + a + " ")
			}
		}
	}
}
