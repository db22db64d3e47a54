// Command ferretdb-launcher runs FerretDB v1 with its SQLite backend for the local stack.
//
// FerretDB's own cmd/ferretdb panics at start when built outside its repository (it wants the
// generated build/version/version.txt), so the stack builds this launcher instead: it embeds
// FerretDB through its public package, which skips that check.
package main

import (
	"context"
	"flag"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen-addr", "127.0.0.1:27017", "TCP address to listen on (empty: no plaintext listener)")
	listenTLS := flag.String("listen-tls", "", "TLS address to listen on (empty: no TLS listener)")
	tlsCert := flag.String("listen-tls-cert-file", "", "PEM server certificate of the TLS listener")
	tlsKey := flag.String("listen-tls-key-file", "", "PEM key of -listen-tls-cert-file")
	tlsCA := flag.String("listen-tls-ca-file", "", "PEM CA of client certificates: with it, every TLS client must show one the CA signed")
	auth := flag.Bool("auth", false, "require SCRAM authentication for every command but the handshake ones")
	setupDB := flag.String("setup-database", "admin", "with -setup-username: the user's database (its authSource)")
	setupUser := flag.String("setup-username", "", "with -auth: a user made at start, or given the password again if it exists")
	setupPasswordFile := flag.String("setup-password-file", "", "file holding -setup-username's password (never on the command line)")
	sqliteURL := flag.String("sqlite-url", "file:data/", "SQLite URI of an existing directory, one file per database")
	logLevel := flag.String("log-level", "warn", "debug, info, warn or error")
	flag.Parse()

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		slog.Error("bad -log-level", "value", *logLevel)
		os.Exit(2)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	config := &ferretdb.Config{
		Listener: ferretdb.ListenerConfig{
			TCP:         *listen,
			TLS:         *listenTLS,
			TLSCertFile: *tlsCert,
			TLSKeyFile:  *tlsKey,
			TLSCAFile:   *tlsCA,
		},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: *sqliteURL,
		Auth:      *auth,
	}
	if *setupUser != "" {
		if !*auth || *setupPasswordFile == "" {
			logger.Error("-setup-username needs -auth and -setup-password-file")
			os.Exit(2)
		}
		secret, err := os.ReadFile(*setupPasswordFile)
		if err != nil {
			logger.Error("cannot read -setup-password-file", "error", err)
			os.Exit(2)
		}
		config.SetupDatabase = *setupDB
		config.SetupUsername = *setupUser
		config.SetupPassword = strings.TrimRight(string(secret), "\r\n")
		if config.SetupPassword == "" {
			logger.Error("-setup-password-file is empty", "file", *setupPasswordFile)
			os.Exit(2)
		}
	}

	f, err := ferretdb.New(config)
	if err != nil {
		logger.Error("cannot start FerretDB", "error", err)
		os.Exit(1)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	logger.Warn("FerretDB listening", "addr", *listen, "tls", *listenTLS, "auth", *auth, "sqlite", *sqliteURL)
	if err := f.Run(ctx); err != nil && ctx.Err() == nil {
		logger.Error("FerretDB stopped", "error", err)
		os.Exit(1)
	}
}
