package main

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/plimsoll/plimsoll/internal/image"
	"github.com/plimsoll/plimsoll/internal/report"
)

func writeInspectTable(w io.Writer, in *image.Inspection, files bool, scope string) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	im := in.Image
	row := func(k, v string) {
		if v != "" {
			fmt.Fprintf(tw, "%s\t%s\n", k, report.Line(v, 0))
		}
	}
	row("Image", im.Reference)
	row("Source", im.Source)
	row("Manifest digest", im.ManifestDigest)
	row("Index digest", im.IndexDigest)
	row("Repo digests", strings.Join(im.RepoDigests, ", "))
	row("Tags", strings.Join(im.Tags, ", "))
	if im.Platform != nil {
		row("Platform", im.Platform.String())
	}
	row("Media type", im.MediaType)
	row("Config digest", im.ConfigDigest)
	row("Size", fmt.Sprintf("%s (stored)", humanBytes(im.Size)))
	if d := in.Distro; d != nil {
		row("Distro", strings.TrimSpace(fmt.Sprintf("%s %s  (%s, from %s)", d.ID, d.VersionID, d.PrettyName, d.Source)))
	} else {
		row("Distro", "unknown (no os-release or release file)")
	}
	fmt.Fprintln(tw)
	fmt.Fprintln(tw, "LAYERS")
	fmt.Fprintln(tw, "#\tDIGEST\tDIFFID\tSIZE\tMEDIA TYPE\tFILES\tCREATED BY")
	for _, l := range in.Layers {
		created := l.CreatedBy
		if l.Skip != "" {
			created = "(not read: " + l.Skip + ") " + created
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%d\t%s\n", l.Index, short(l.Digest), short(l.DiffID),
			humanBytes(l.Size), report.Line(shortMediaType(l.MediaType), 0), l.Files, report.Line(created, 80))
	}
	if c := in.Config; c != nil {
		fmt.Fprintln(tw)
		fmt.Fprintln(tw, "CONFIG")
		user := c.User
		if user == "" {
			user = "(unset: runs as root)"
		}
		row("User", user)
		row("Exposed ports", strings.Join(c.ExposedPorts, ", "))
		for i, e := range c.Env {
			k := ""
			if i == 0 {
				k = "Env"
			}
			fmt.Fprintf(tw, "%s\t%s\n", k, report.Line(e, 0))
		}
		row("Entrypoint", jsonList(c.Entrypoint))
		row("Cmd", jsonList(c.Cmd))
		row("Working dir", c.WorkingDir)
		row("Stop signal", c.StopSignal)
		row("Healthcheck", jsonList(c.Healthcheck))
		row("Volumes", strings.Join(c.Volumes, ", "))
		keys := make([]string, 0, len(c.Labels))
		for k := range c.Labels {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for i, k := range keys {
			label := ""
			if i == 0 {
				label = "Labels"
			}
			fmt.Fprintf(tw, "%s\t%s=%s\n", label, report.Line(k, 0), report.Line(c.Labels[k], 0))
		}
	}
	if len(in.History) > 0 {
		fmt.Fprintln(tw)
		fmt.Fprintln(tw, "HISTORY")
		fmt.Fprintln(tw, "CREATED\tLAYER\tCREATED BY")
		for _, h := range in.History {
			layer, created := "-", ""
			if h.Layer != nil {
				layer = fmt.Sprint(*h.Layer)
			}
			if h.Created != nil {
				created = h.Created.UTC().Format("2006-01-02 15:04")
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\n", created, layer, report.Line(h.CreatedBy, 100))
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if in.Dockerfile != "" {
		fmt.Fprintln(w)
		fmt.Fprintln(w, "DOCKERFILE (reconstructed)")
		for _, line := range strings.Split(strings.TrimRight(in.Dockerfile, "\n"), "\n") {
			fmt.Fprintln(w, report.Line(line, 0)) // created_by is the image's text: no escapes reach the terminal
		}
	}
	if files {
		if err := writeFileTable(w, in, scope); err != nil {
			return err
		}
	}
	if len(in.Warnings) > 0 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, "WARNINGS")
		for _, s := range in.Warnings {
			fmt.Fprintln(w, "  "+report.Line(s, 0)) // warnings quote entry names from the image
		}
	}
	return nil
}

func writeFileTable(w io.Writer, in *image.Inspection, scope string) error {
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	if scope == "all-layers" {
		fmt.Fprintln(tw, "FILES (all layers)")
		fmt.Fprintln(tw, "MODE\tOWNER\tSIZE\tLAYER\tSTATE\tPATH\tDIGEST")
		for _, e := range in.FS.AllLayers() {
			state := "visible"
			if !e.Visible {
				state = "hidden"
			}
			fmt.Fprintf(tw, "%s\t%d:%d\t%d\t%d\t%s\t%s\t%s\n", e.Perm(), e.UID, e.GID, e.Size, e.Layer, state, report.Line(withTarget(e.Path, e.Linkname), 0), e.Digest)
		}
		return tw.Flush()
	}
	fmt.Fprintln(tw, "FILES")
	fmt.Fprintln(tw, "MODE\tOWNER\tSIZE\tLAYER\tPATH\tDIGEST")
	for _, f := range in.FS.Squashed() {
		fmt.Fprintf(tw, "%s\t%d:%d\t%d\t%d\t%s\t%s\n", f.Perm(), f.UID, f.GID, f.Size, f.Layer, report.Line(withTarget(f.Path, f.Linkname), 0), f.Digest)
	}
	return tw.Flush()
}

func withTarget(p, link string) string {
	if link == "" {
		return p
	}
	return p + " -> " + link
}

func short(digest string) string {
	if _, hex, ok := strings.Cut(digest, ":"); ok && len(hex) > 12 {
		return hex[:12]
	}
	return digest
}

func shortMediaType(mt string) string {
	mt = strings.TrimPrefix(mt, "application/vnd.")
	return strings.TrimPrefix(mt, "oci.image.")
}

func jsonList(xs []string) string {
	if len(xs) == 0 {
		return ""
	}
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = fmt.Sprintf("%q", x)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

func humanBytes(n int64) string {
	const unit = 1000
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %cB", float64(n)/float64(div), "kMGTPE"[exp])
}
