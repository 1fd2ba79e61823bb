package geo

import "math"

// EarthRadius is the sphere radius, in meters, Redis's distances use.
const EarthRadius = 6372797.560856

// mercatorMax bounds the step estimation.
const mercatorMax = 20037726.37

// degToRad is computed at run time from the rounded pi, as C's M_PI/180.
var degToRad = pi / 180.0

var pi = math.Pi

func degRad(a float64) float64 { return a * degToRad }
func radDeg(a float64) float64 { return a / degToRad }

// LatDistance is the meridian distance between two latitudes.
func LatDistance(lat1, lat2 float64) float64 {
	return EarthRadius * math.Abs(degRad(lat2)-degRad(lat1))
}

// Distance is the haversine great-circle distance in meters.
func Distance(long1, lat1, long2, lat2 float64) float64 {
	long1r := degRad(long1)
	long2r := degRad(long2)
	v := Sin((long2r - long1r) / 2)
	// Same longitude: only the latitude difference counts.
	if v == 0.0 {
		return LatDistance(lat1, lat2)
	}
	lat1r := degRad(lat1)
	lat2r := degRad(lat2)
	u := Sin((lat2r - lat1r) / 2)
	a := float64(u*u) + float64(float64(float64(Cos(lat1r)*Cos(lat2r))*v)*v)
	return 2.0 * EarthRadius * Asin(math.Sqrt(a))
}

// Shape is a search area: a circle of Radius or a Width x Height box
// around (Long, Lat), the sizes in units of Conversion meters.
type Shape struct {
	Long, Lat     float64
	Box           bool
	Radius        float64
	Width, Height float64
	Conversion    float64
}

// InShape reports whether the point (long, lat) is within s and returns
// its distance from the centre in meters.
func (s *Shape) InShape(long, lat float64) (float64, bool) {
	if !s.Box {
		d := Distance(s.Long, s.Lat, long, lat)
		if d > s.Radius*s.Conversion {
			return 0, false
		}
		return d, true
	}
	w, h := s.Width*s.Conversion, s.Height*s.Conversion
	if LatDistance(lat, s.Lat) > h/2 {
		return 0, false
	}
	if Distance(long, lat, s.Long, lat) > w/2 {
		return 0, false
	}
	return Distance(s.Long, s.Lat, long, lat), true
}

// boundingBox returns min long, min lat, max long, max lat of s.
func (s *Shape) boundingBox() (minLong, minLat, maxLong, maxLat float64) {
	var height, width float64
	if s.Box {
		height = s.Conversion * (s.Height / 2)
		width = s.Conversion * (s.Width / 2)
	} else {
		height = s.Conversion * s.Radius
		width = s.Conversion * s.Radius
	}
	latDelta := radDeg(height / EarthRadius)
	longDeltaTop := radDeg(width / EarthRadius / Cos(degRad(s.Lat+latDelta)))
	longDeltaBottom := radDeg(width / EarthRadius / Cos(degRad(s.Lat-latDelta)))
	if s.Lat < 0 {
		minLong, maxLong = s.Long-longDeltaBottom, s.Long+longDeltaBottom
	} else {
		minLong, maxLong = s.Long-longDeltaTop, s.Long+longDeltaTop
	}
	return minLong, s.Lat - latDelta, maxLong, s.Lat + latDelta
}

// estimateSteps picks the hash precision whose cells cover a search of
// rangeMeters at latitude lat with the 9-cell neighbourhood.
func estimateSteps(rangeMeters, lat float64) uint8 {
	if rangeMeters == 0 {
		return 26
	}
	step := 1
	for rangeMeters < mercatorMax {
		rangeMeters *= 2
		step++
	}
	step -= 2
	// Cells are narrower towards the poles.
	if lat > 66 || lat < -66 {
		step--
		if lat > 80 || lat < -80 {
			step--
		}
	}
	return uint8(min(max(step, 1), 26))
}

// SearchCells returns the cells to scan for s, in Redis's order: the
// centre cell, then north, south, east, west, north-east, north-west,
// south-east, south-west; excluded neighbours are zero hashes.
func (s *Shape) SearchCells() [9]Hash {
	minLong, minLat, maxLong, maxLat := s.boundingBox()
	var radius float64
	if s.Box {
		radius = math.Sqrt(float64((s.Width/2)*(s.Width/2)) + float64((s.Height/2)*(s.Height/2)))
	} else {
		radius = s.Radius
	}
	radius *= s.Conversion
	steps := estimateSteps(radius, s.Lat)
	hash, _ := EncodeWGS84(s.Long, s.Lat, steps)
	nb := NeighborsOf(hash)
	area, _ := DecodeWGS84(hash)

	// Near the edge of the centre cell the estimated step may leave part
	// of the area outside the neighbourhood: use one step less.
	north, _ := DecodeWGS84(nb.North)
	south, _ := DecodeWGS84(nb.South)
	east, _ := DecodeWGS84(nb.East)
	west, _ := DecodeWGS84(nb.West)
	decrease := north.Lat.Max < maxLat || south.Lat.Min > minLat ||
		east.Long.Max < maxLong || west.Long.Min > minLong
	if steps > 1 && decrease {
		steps--
		hash, _ = EncodeWGS84(s.Long, s.Lat, steps)
		nb = NeighborsOf(hash)
		area, _ = DecodeWGS84(hash)
	}
	// Drop the neighbours the search area cannot reach.
	if steps >= 2 {
		if area.Lat.Min < minLat {
			nb.South, nb.SouthWest, nb.SouthEast = Hash{}, Hash{}, Hash{}
		}
		if area.Lat.Max > maxLat {
			nb.North, nb.NorthEast, nb.NorthWest = Hash{}, Hash{}, Hash{}
		}
		if area.Long.Min < minLong {
			nb.West, nb.SouthWest, nb.NorthWest = Hash{}, Hash{}, Hash{}
		}
		if area.Long.Max > maxLong {
			nb.East, nb.SouthEast, nb.NorthEast = Hash{}, Hash{}, Hash{}
		}
	}
	return [9]Hash{hash, nb.North, nb.South, nb.East, nb.West, nb.NorthEast, nb.NorthWest, nb.SouthEast, nb.SouthWest}
}

// ScoreRange returns the sorted-set score interval [min, max) of the
// points inside cell h.
func (h Hash) ScoreRange() (min, max uint64) {
	min = h.Align52()
	h.Bits++
	return min, h.Align52()
}
