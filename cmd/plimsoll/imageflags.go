package main

import (
	"log/slog"
	"time"

	"github.com/spf13/cobra"

	"github.com/plimsoll/plimsoll/internal/catalog"
	"github.com/plimsoll/plimsoll/internal/image"
	"github.com/plimsoll/plimsoll/internal/layerfs"
)

// imageFlags are the flags of every command that reads an image.
type imageFlags struct {
	platform    string
	username    string
	password    string
	insecure    []string
	timeout     time.Duration
	retries     int
	maxFileSize int64
	verifyBlob  bool
}

func (f *imageFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.platform, "platform", "", "os/arch[/variant] to pick from a multi-platform image (default linux/<host arch>)")
	fl.StringVar(&f.username, "username", "", "registry user name (env PLIMSOLL_REGISTRY_USERNAME)")
	fl.StringVar(&f.password, "password", "", "registry password or token (env PLIMSOLL_REGISTRY_PASSWORD)")
	fl.StringSliceVar(&f.insecure, "insecure-registry", nil, "registry HOST[:PORT] reached over plain HTTP or with an unverified certificate (repeatable)")
	fl.DurationVar(&f.timeout, "registry-timeout", 30*time.Second, "timeout for connecting to a registry and for its response headers")
	fl.IntVar(&f.retries, "registry-retries", 3, "retries of a failed registry request")
	fl.Int64Var(&f.maxFileSize, "max-file-size", layerfs.DefaultMaxFileSize, "largest file content held in memory for analysis, in bytes")
	fl.BoolVar(&f.verifyBlob, "verify-blob-digest", false, "also check each layer blob's stored (compressed) digest; the diffID, always checked, already proves the content")
	envName(cmd, "username", "PLIMSOLL_REGISTRY_USERNAME")
	envName(cmd, "password", "PLIMSOLL_REGISTRY_PASSWORD")
}

func (f *imageFlags) options(cmd *cobra.Command) image.Options {
	return image.Options{
		Platform: f.platform, Username: f.username, Password: f.password,
		Insecure: f.insecure, Timeout: f.timeout, Retries: f.retries,
		Stdin: cmd.InOrStdin(), UserAgent: "plimsoll/" + version,
	}
}

// walk returns the options of the one walk over the layers, the same for every
// command: the requests of whatever reads file contents, the per-file cap, the
// blob-digest check, the logger.
func (f *imageFlags) walk(requests []layerfs.Request, digests bool) image.InspectOptions {
	return image.InspectOptions{Walk: layerfs.Options{
		Requests: requests, Digests: digests, MaxFileSize: f.maxFileSize,
		VerifyBlobDigest: f.verifyBlob, Logger: slog.Default(),
	}}
}

// scopeFlag is --scope: which of the image's files are cataloged. It is
// checked as the command line is parsed, so a bad value is exit 2 before any
// image is read.
type scopeFlag struct{ scope catalog.Scope }

func (s *scopeFlag) String() string {
	if s.scope == "" {
		return string(catalog.Squashed)
	}
	return string(s.scope)
}

func (s *scopeFlag) Set(v string) error {
	sc, err := catalog.ParseScope(v)
	if err != nil {
		return err
	}
	s.scope = sc
	return nil
}

func (*scopeFlag) Type() string { return "string" }

// registerScope adds --scope to a command that catalogs packages (sbom, scan).
func registerScope(cmd *cobra.Command) {
	cmd.Flags().Var(&scopeFlag{}, "scope", "squashed: the packages of the final image; all-layers: also those earlier layers held and later layers deleted or replaced, marked \"squashed\": false")
}

// scopeOf returns the command's --scope; squashed for a command without one
// (evaluate, policy scan).
func scopeOf(cmd *cobra.Command) catalog.Scope {
	if fl := cmd.Flags().Lookup("scope"); fl != nil {
		if s, ok := fl.Value.(*scopeFlag); ok && s.scope != "" {
			return s.scope
		}
	}
	return catalog.Squashed
}
