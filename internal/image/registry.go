package image

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"
)

// ErrUnauthorized reports a registry that refused our credentials (or their absence).
var ErrUnauthorized = errors.New("registry refused access")

// openRegistry resolves a registry reference, picking a platform from an index.
func openRegistry(ctx context.Context, s string, o Options) (*Image, error) {
	ref, err := name.ParseReference(s)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadReference, err)
	}
	if slices.Contains(o.Insecure, ref.Context().RegistryStr()) {
		if ref, err = name.ParseReference(s, name.Insecure); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrBadReference, err)
		}
	}
	opts := remoteOptions(ctx, o)
	desc, err := remote.Get(ref, opts...)
	if err != nil {
		return nil, registryError(ref, err)
	}
	var indexDigest string
	target := desc.Descriptor
	if desc.MediaType.IsIndex() {
		idx, err := desc.ImageIndex()
		if err != nil {
			return nil, registryError(ref, err)
		}
		im, err := idx.IndexManifest()
		if err != nil {
			return nil, registryError(ref, err)
		}
		if target, err = selectPlatform(im, o.Platform); err != nil {
			return nil, err
		}
		indexDigest = desc.Digest.String()
	}
	digestRef := ref.Context().Digest(target.Digest.String())
	img, err := remote.Image(digestRef, opts...)
	if err != nil {
		return nil, registryError(ref, err)
	}
	rawManifest, err := img.RawManifest()
	if err != nil {
		return nil, registryError(ref, err)
	}
	open := func(d v1.Descriptor) (io.ReadCloser, error) {
		if d.Digest == target.Digest {
			return io.NopCloser(bytesReader(rawManifest)), nil
		}
		if cfg, err := img.ConfigName(); err == nil && cfg == d.Digest {
			b, err := img.RawConfigFile()
			if err != nil {
				return nil, registryError(ref, err)
			}
			return io.NopCloser(bytesReader(b)), nil
		}
		l, err := remote.Layer(ref.Context().Digest(d.Digest.String()), opts...)
		if err != nil {
			return nil, registryError(ref, err)
		}
		rc, err := l.Compressed()
		if err != nil {
			return nil, registryError(ref, err)
		}
		return rc, nil
	}
	im, err := fromManifest(rawManifest, open)
	if err != nil {
		return nil, fmt.Errorf("manifest %s: %w", target.Digest, err)
	}
	im.IndexDigest = indexDigest
	im.RepoDigests = []string{ref.Context().Name() + "@" + im.ManifestDigest}
	if indexDigest != "" {
		im.RepoDigests = append(im.RepoDigests, ref.Context().Name()+"@"+indexDigest)
	}
	if t, ok := ref.(name.Tag); ok {
		im.Tags = []string{t.Name()}
	}
	return im, nil
}

// RemoteOptions returns the go-containerregistry options Open uses for o
// (context, credentials, timeouts, TLS relaxation, retries), for packages that
// read more from the same registry (signatures beside an image).
func RemoteOptions(ctx context.Context, o Options) []remote.Option { return remoteOptions(ctx, o) }

// remoteOptions builds go-containerregistry options: context, credentials,
// transport with timeouts and per-host TLS relaxation, and retries.
func remoteOptions(ctx context.Context, o Options) []remote.Option {
	opts := []remote.Option{remote.WithContext(ctx), remote.WithTransport(registryTransport(o))}
	switch {
	case o.Username != "" || o.Password != "":
		opts = append(opts, remote.WithAuth(&authn.Basic{Username: o.Username, Password: o.Password}))
	case o.Keychain != nil:
		opts = append(opts, remote.WithAuthFromKeychain(o.Keychain))
	default:
		opts = append(opts, remote.WithAuthFromKeychain(authn.DefaultKeychain))
	}
	if o.UserAgent != "" {
		opts = append(opts, remote.WithUserAgent(o.UserAgent))
	}
	retries := o.Retries
	if retries < 0 {
		retries = 0
	}
	opts = append(opts, remote.WithRetryBackoff(remote.Backoff{Duration: 500 * time.Millisecond, Factor: 2, Jitter: 0.1, Steps: retries + 1}))
	return opts
}

func registryTransport(o Options) http.RoundTripper {
	if o.Transport != nil {
		return o.Transport
	}
	timeout := o.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.DialContext = (&net.Dialer{Timeout: timeout, KeepAlive: 30 * time.Second}).DialContext
	t.TLSHandshakeTimeout = timeout
	t.ResponseHeaderTimeout = timeout
	if len(o.Insecure) > 0 {
		insecure := o.Insecure
		t.TLSClientConfig = &tls.Config{
			// Verification is done below, skipped only for the hosts named insecure.
			InsecureSkipVerify: true,
			VerifyConnection: func(cs tls.ConnectionState) error {
				if hostListed(insecure, cs.ServerName) {
					return nil
				}
				return verifyChain(cs)
			},
		}
	}
	return t
}

func hostListed(hosts []string, serverName string) bool {
	for _, h := range hosts {
		if host, _, err := net.SplitHostPort(h); err == nil {
			h = host
		}
		if h == serverName {
			return true
		}
	}
	return false
}

func verifyChain(cs tls.ConnectionState) error {
	if len(cs.PeerCertificates) == 0 {
		return errors.New("tls: no peer certificate")
	}
	inter := x509.NewCertPool()
	for _, c := range cs.PeerCertificates[1:] {
		inter.AddCert(c)
	}
	_, err := cs.PeerCertificates[0].Verify(x509.VerifyOptions{DNSName: cs.ServerName, Intermediates: inter})
	return err
}

// registryError adds what a user can do about a registry failure.
func registryError(ref name.Reference, err error) error {
	var te *transport.Error
	if errors.As(err, &te) {
		switch te.StatusCode {
		case http.StatusUnauthorized, http.StatusForbidden:
			return fmt.Errorf("%w (HTTP %d) for %s: check credentials: --username/--password, PLIMSOLL_REGISTRY_USERNAME/PLIMSOLL_REGISTRY_PASSWORD, or `docker login %s`: %v",
				ErrUnauthorized, te.StatusCode, ref.Context(), ref.Context().RegistryStr(), err)
		case http.StatusNotFound:
			return fmt.Errorf("%s not found in registry %s: %w", ref, ref.Context().RegistryStr(), err)
		}
	}
	var ne net.Error
	if errors.As(err, &ne) || errors.Is(err, context.DeadlineExceeded) {
		host := ref.Context().RegistryStr()
		if ref.Context().Scheme() == "http" {
			return fmt.Errorf("registry %s unreachable: %w", host, err)
		}
		return fmt.Errorf("registry %s unreachable (for a plain-HTTP or self-signed registry use --insecure-registry %s): %w", host, host, err)
	}
	return fmt.Errorf("registry %s: %w", ref.Context().RegistryStr(), err)
}
