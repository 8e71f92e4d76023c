package gate

import "time"

// Trust is what the trust checks found about an image, as the trust gate reads it.
type Trust struct {
	// Signatures is true when signatures were verified (keys were given);
	// Signers are the fingerprints of the keys that verified one.
	Signatures bool     `json:"signatures"`
	Signers    []string `json:"signers,omitempty"`
	// Bases is true when an approved-base catalogue was consulted; Base is the
	// nearest approved base the image is built on, nil when none.
	Bases bool      `json:"bases"`
	Base  *BaseInfo `json:"base,omitempty"`
}

// BaseInfo is the approved base an image is built on.
type BaseInfo struct {
	Reference string `json:"reference"`
	Digest    string `json:"digest"`
	// Layers is how many of the image's lowest layers the base accounts for.
	Layers int `json:"layers"`
	// Replaced is when the base's reference moved on to another digest; zero
	// while the image is built on the current one.
	Replaced time.Time `json:"replaced,omitzero"`
}
