package image

import (
	"context"
	"sort"
	"time"

	"github.com/plimsoll/plimsoll/internal/distro"
	"github.com/plimsoll/plimsoll/internal/layerfs"
)

// Inspection is the whole model of one image that later stages and the policy
// engine read: identity, layers with what the walk learned, configuration,
// history, reconstructed Dockerfile, distribution and the file index.
type Inspection struct {
	Image      *Image         `json:"image"`
	Layers     []LayerView    `json:"layers"`
	Config     *ConfigView    `json:"config,omitempty"`
	History    []HistoryView  `json:"history,omitempty"`
	Dockerfile string         `json:"dockerfile,omitempty"`
	Distro     *distro.Distro `json:"distro,omitempty"`
	Warnings   []string       `json:"warnings,omitempty"`
	FS         *layerfs.FS    `json:"-"`
}

// LayerView joins a layer's manifest facts with what reading it found.
type LayerView struct {
	Layer
	Compression      string `json:"compression,omitempty"`
	UncompressedSize int64  `json:"uncompressedSize"`
	Files            int    `json:"files"`
	Whiteouts        int    `json:"whiteouts"`
}

// ConfigView is the runtime configuration a policy reads, with secrets masked.
type ConfigView struct {
	User         string            `json:"user"`
	ExposedPorts []string          `json:"exposedPorts,omitempty"`
	Env          []string          `json:"env,omitempty"` // KEY=VALUE, secret-looking values masked
	Entrypoint   []string          `json:"entrypoint,omitempty"`
	Cmd          []string          `json:"cmd,omitempty"`
	Labels       map[string]string `json:"labels,omitempty"`
	Healthcheck  []string          `json:"healthcheck,omitempty"`
	WorkingDir   string            `json:"workingDir,omitempty"`
	StopSignal   string            `json:"stopSignal,omitempty"`
	Volumes      []string          `json:"volumes,omitempty"`
	Created      *time.Time        `json:"created,omitempty"`
}

// HistoryView is one history step; Layer is the index of the layer it made, or
// nil for a step that made none (ENV, USER, CMD…).
type HistoryView struct {
	Created   *time.Time `json:"created,omitempty"`
	CreatedBy string     `json:"createdBy"`
	Comment   string     `json:"comment,omitempty"`
	Layer     *int       `json:"layer,omitempty"`
}

// InspectOptions choose what a walk computes beyond what Inspect needs.
type InspectOptions struct {
	Walk layerfs.Options
}

// Inspect reads every layer once and assembles the image's model.
func Inspect(ctx context.Context, im *Image, o InspectOptions) (*Inspection, error) {
	wo := o.Walk
	wo.Requests = append(append([]layerfs.Request(nil), wo.Requests...), layerfs.Request{Paths: distro.Files})
	fsys, err := im.Walk(ctx, wo)
	if err != nil {
		return nil, err
	}
	in := &Inspection{Image: im, FS: fsys, Warnings: append([]string(nil), im.Warnings...)}
	summaries := fsys.Layers()
	for i, l := range im.Layers {
		s := summaries[i]
		if l.DiffID == "" {
			l.DiffID = s.DiffID // a dir: source learns its diffID by reading it
		}
		if l.Size == 0 && l.Digest == "" {
			l.Size = s.StoredSize
			im.Size += s.StoredSize
		}
		in.Layers = append(in.Layers, LayerView{Layer: l, Compression: s.Compression,
			UncompressedSize: s.UncompressedSize, Files: s.Files, Whiteouts: s.Whiteouts})
	}
	for _, w := range fsys.Warnings() {
		in.Warnings = append(in.Warnings, w.String())
	}
	if im.late != nil {
		in.Warnings = append(in.Warnings, im.late()...)
	}
	if d, ok := distro.Identify(fsys.ReadFile); ok {
		in.Distro = &d
	}
	if im.Config != nil {
		in.Config = configView(im)
		in.History = historyView(im)
		in.Dockerfile = Dockerfile(im.Config.History)
	}
	return in, nil
}

func configView(im *Image) *ConfigView {
	c := im.Config.Config
	v := &ConfigView{
		User: c.User, Env: MaskEnv(c.Env), Entrypoint: c.Entrypoint, Cmd: c.Cmd,
		Labels: c.Labels, WorkingDir: c.WorkingDir, StopSignal: c.StopSignal,
	}
	for p := range c.ExposedPorts {
		v.ExposedPorts = append(v.ExposedPorts, p)
	}
	sort.Strings(v.ExposedPorts)
	for p := range c.Volumes {
		v.Volumes = append(v.Volumes, p)
	}
	sort.Strings(v.Volumes)
	if c.Healthcheck != nil {
		v.Healthcheck = c.Healthcheck.Test
	}
	if t := im.Config.Created.Time; !t.IsZero() {
		v.Created = &t
	}
	return v
}

func historyView(im *Image) []HistoryView {
	var out []HistoryView
	layer := 0
	for _, h := range im.Config.History {
		v := HistoryView{CreatedBy: h.CreatedBy, Comment: h.Comment}
		if t := h.Created.Time; !t.IsZero() {
			v.Created = &t
		}
		if !h.EmptyLayer && layer < len(im.Layers) {
			l := layer
			v.Layer = &l
			layer++
		}
		out = append(out, v)
	}
	return out
}
