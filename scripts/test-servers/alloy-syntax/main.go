// alloy-syntax: Alloy's own configuration parser (github.com/grafana/alloy/syntax), for the tests only.
// Each file named (or "-" for standard input) is parsed as Alloy parses a config before loading it;
// its diagnostics are printed as file:line:col: message. Exit 0 when all parse, 1 when one does not,
// 2 on a file that cannot be read. Component arguments are not checked: that needs Alloy itself.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/grafana/alloy/syntax/diag"
	"github.com/grafana/alloy/syntax/parser"
)

func read(name string) ([]byte, error) {
	if name == "-" {
		return io.ReadAll(os.Stdin)
	}
	return os.ReadFile(name)
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: alloy-syntax FILE... (- for standard input)")
		os.Exit(2)
	}
	failed := false
	for _, name := range os.Args[1:] {
		data, err := read(name)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		_, err = parser.ParseFile(name, data)
		var diags diag.Diagnostics
		switch {
		case err == nil:
			fmt.Printf("%s: ok\n", name)
		case errors.As(err, &diags):
			failed = true
			for _, d := range diags {
				fmt.Printf("%s: %s\n", d.StartPos, d.Message)
			}
		default:
			failed = true
			fmt.Printf("%s: %s\n", name, err)
		}
	}
	if failed {
		os.Exit(1)
	}
}
