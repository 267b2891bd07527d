module goftp.io/server/v2

go 1.23.0
