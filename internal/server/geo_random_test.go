package server

import (
	"strconv"
	"testing"

	"github.com/modis/modis/internal/difftest"
)

// TestGeoRandomDiff sends the same pseudo-random GEO workload (fixed seed;
// MODIS_GEO_SEED picks another) to redis-server and Modis and compares
// every reply byte for byte: points clustered around a few centres (and
// some anywhere, near the poles and the date line), then radius and box
// searches of every size with random options, stores read back.
func TestGeoRandomDiff(t *testing.T) {
	r := difftest.StartRedis(t)
	s := startTestServer(t, nil)
	p := difftest.NewPair(t, r.Addr, s.Addr().String())
	rng, _ := randomSeed("MODIS_GEO_SEED", 11)
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	centres := [][2]float64{{13.36, 38.11}, {-0.12, 51.5}, {179.9, -16.5}, {-179.95, 65}, {10, 84.5}, {0, 0}}
	point := func() (float64, float64) {
		if rng.Intn(5) == 0 {
			return rng.Float64()*360 - 180, rng.Float64()*170.1 - 85.05
		}
		c := centres[rng.Intn(len(centres))]
		spread := []float64{0.01, 0.5, 5}[rng.Intn(3)]
		lon := c[0] + (rng.Float64()*2-1)*spread
		lat := c[1] + (rng.Float64()*2-1)*spread
		lon = min(max(lon, -180), 180)
		lat = min(max(lat, -85.05), 85.05)
		return lon, lat
	}
	keys := []string{"g0", "g1", "g2"} // g2 stays a listpack
	unit := func() string { return []string{"m", "km", "mi", "ft", "KM"}[rng.Intn(5)] }
	dist := func(u string) string {
		m := []float64{1, 1000, 1609.34, 0.3048, 1000}[map[string]int{"m": 0, "km": 1, "mi": 2, "ft": 3, "KM": 4}[u]]
		meters := []float64{50, 5000, 100000, 800000, 5000000}[rng.Intn(5)] * rng.Float64()
		return f(meters / m)
	}
	members := 0
	var placed [][2]float64
	var history [][]string
	run := func(mode difftest.Mode, cmd ...string) {
		history = append(history, cmd)
		if len(history) > 20 {
			history = history[1:]
		}
		if err := p.Compare(mode, cmd...); err != nil {
			t.Fatalf("%q: %v\nrecent: %q", cmd, err, history)
		}
	}
	for _, k := range keys {
		cmd := []string{"GEOADD", k}
		for i := 0; i < map[string]int{"g2": 40}[k]+150*btoi(k != "g2"); i++ {
			lon, lat := point()
			if len(placed) > 0 && rng.Intn(4) == 0 {
				pt := placed[rng.Intn(len(placed))]
				lon, lat = pt[0], pt[1]
			}
			placed = append(placed, [2]float64{lon, lat})
			cmd = append(cmd, f(lon), f(lat), "m"+strconv.Itoa(members))
			members++
		}
		run(difftest.Exact, cmd...)
	}
	opts := func(cmd []string, store bool) []string {
		if rng.Intn(2) == 0 && !store {
			cmd = append(cmd, "WITHDIST")
		}
		if rng.Intn(3) == 0 && !store {
			cmd = append(cmd, "WITHCOORD")
		}
		if rng.Intn(3) == 0 && !store {
			cmd = append(cmd, "WITHHASH")
		}
		switch rng.Intn(3) {
		case 0:
			cmd = append(cmd, "ASC")
		case 1:
			cmd = append(cmd, "DESC")
		}
		if rng.Intn(3) == 0 {
			cmd = append(cmd, "COUNT", strconv.Itoa(1+rng.Intn(20)))
			if rng.Intn(3) == 0 {
				cmd = append(cmd, "ANY")
			}
		}
		return cmd
	}
	for i := 0; i < 2000; i++ {
		k := keys[rng.Intn(len(keys))]
		m := "m" + strconv.Itoa(rng.Intn(members))
		u := unit()
		switch rng.Intn(9) {
		case 0:
			lon, lat := point()
			if len(placed) > 0 && rng.Intn(2) == 0 {
				// A twin of an earlier point: equal distances, whose
				// order under COUNT comes from Redis's partial quicksort.
				pt := placed[rng.Intn(len(placed))]
				lon, lat = pt[0], pt[1]
			}
			placed = append(placed, [2]float64{lon, lat})
			run(difftest.Exact, "GEOADD", k, f(lon), f(lat), "m"+strconv.Itoa(members))
			members++
		case 1:
			run(difftest.Exact, "GEOPOS", k, m, "m"+strconv.Itoa(rng.Intn(members)))
		case 2:
			run(difftest.Exact, "GEODIST", k, m, "m"+strconv.Itoa(rng.Intn(members)), u)
			run(difftest.Exact, "GEOHASH", k, m)
		case 3, 4:
			lon, lat := point()
			run(difftest.Exact, opts([]string{"GEORADIUS", k, f(lon), f(lat), dist(u), u}, false)...)
		case 5:
			run(difftest.Exact, opts([]string{"GEORADIUSBYMEMBER_RO", k, m, dist(u), u}, false)...)
		case 6, 7:
			cmd := []string{"GEOSEARCH", k}
			if rng.Intn(2) == 0 {
				cmd = append(cmd, "FROMMEMBER", m)
			} else {
				lon, lat := point()
				cmd = append(cmd, "FROMLONLAT", f(lon), f(lat))
			}
			if rng.Intn(2) == 0 {
				cmd = append(cmd, "BYRADIUS", dist(u), u)
			} else {
				cmd = append(cmd, "BYBOX", dist(u), dist(u), u)
			}
			run(difftest.Exact, opts(cmd, false)...)
		default:
			lon, lat := point()
			cmd := []string{"GEOSEARCHSTORE", "dst", k, "FROMLONLAT", f(lon), f(lat), "BYBOX", dist(u), dist(u), u}
			storeDist := rng.Intn(2) == 0
			if storeDist {
				cmd = append(cmd, "STOREDIST")
			}
			run(difftest.Exact, opts(cmd, true)...)
			if storeDist {
				// Distances at full precision can differ in the last bit
				// or two where glibc's sin/cos/asin are not correctly
				// rounded (about one value in a thousand): compare the
				// order and the 4-decimal form only.
				run(difftest.Exact, "ZRANGE", "dst", "0", "-1")
			} else {
				run(difftest.Exact, "ZRANGE", "dst", "0", "-1", "WITHSCORES")
			}
			run(difftest.Exact, "OBJECT", "ENCODING", "dst")
		}
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
