package main

import "github.com/spf13/cobra"

func newVerifyCommand() *cobra.Command {
	return &cobra.Command{Use: "verify IMAGE", Short: "Verify an image's signatures", Hidden: true}
}
