module github.com/modis/modis

go 1.26.8
