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
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen-addr", "127.0.0.1:27017", "TCP address to listen on")
	sqliteURL := flag.String("sqlite-url", "file:data/", "SQLite URI of an existing directory, one file per database")
	logLevel := flag.String("log-level", "warn", "debug, info, warn or error")
	flag.Parse()

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		slog.Error("bad -log-level", "value", *logLevel)
		os.Exit(2)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: *listen},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: *sqliteURL,
	})
	if err != nil {
		logger.Error("cannot start FerretDB", "error", err)
		os.Exit(1)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	logger.Warn("FerretDB listening", "addr", *listen, "sqlite", *sqliteURL)
	if err := f.Run(ctx); err != nil && ctx.Err() == nil {
		logger.Error("FerretDB stopped", "error", err)
		os.Exit(1)
	}
}
