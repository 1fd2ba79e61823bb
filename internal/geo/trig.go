package geo

import (
	"math"
	"math/big"
)

// Go's math.Sin, Cos and Asin may differ from glibc's in the last bit,
// which shows in Redis's distances (17 significant digits when stored by
// STOREDIST, and in whether a point on a radius boundary is included).
// glibc's versions are (almost always) correctly rounded, so these are too:
// the functions are evaluated in double-double arithmetic (about 106
// bits) and rounded once.

// dd is an unevaluated sum hi + lo with |lo| <= ulp(hi)/2.
type dd struct{ hi, lo float64 }

func twoSum(a, b float64) dd {
	s := a + b
	bb := s - a
	return dd{s, (a - (s - bb)) + (b - bb)}
}

func quickTwoSum(a, b float64) dd {
	s := a + b
	return dd{s, b - (s - a)}
}

func twoProd(a, b float64) dd {
	p := a * b
	return dd{p, math.FMA(a, b, -p)}
}

func (x dd) add(y dd) dd {
	s := twoSum(x.hi, y.hi)
	t := twoSum(x.lo, y.lo)
	s.lo += t.hi
	s = quickTwoSum(s.hi, s.lo)
	s.lo += t.lo
	return quickTwoSum(s.hi, s.lo)
}

func (x dd) neg() dd { return dd{-x.hi, -x.lo} }

func (x dd) mul(y dd) dd {
	p := twoProd(x.hi, y.hi)
	p.lo += x.hi*y.lo + x.lo*y.hi
	return quickTwoSum(p.hi, p.lo)
}

func (x dd) mulF(f float64) dd {
	p := twoProd(x.hi, f)
	p.lo += x.lo * f
	return quickTwoSum(p.hi, p.lo)
}

// round returns the double nearest to x.
func (x dd) round() float64 { return x.hi + x.lo }

// pio2 is pi/2 as a triple-double (a + b + c), for the argument
// reduction.
var pio2a, pio2b, pio2c = splitPio2()

func splitPio2() (a, b, c float64) {
	p, _, _ := big.ParseFloat("1.57079632679489661923132169163975144209858469968755291048747229615390820314310449931401741267105853399107404326", 10, 400, big.ToNearestEven)
	r := new(big.Float).SetPrec(400).Set(p)
	a, _ = r.Float64()
	r.Sub(r, new(big.Float).SetFloat64(a))
	b, _ = r.Float64()
	r.Sub(r, new(big.Float).SetFloat64(b))
	c, _ = r.Float64()
	return a, b, c
}

// invFact[i] is 1/i! as a double-double.
var invFact = makeInvFact(32)

func makeInvFact(n int) []dd {
	out := make([]dd, n)
	f := new(big.Float).SetPrec(300).SetInt64(1)
	for i := 0; i < n; i++ {
		if i > 0 {
			f.Mul(f, new(big.Float).SetInt64(int64(i)))
		}
		q := new(big.Float).SetPrec(300).Quo(new(big.Float).SetPrec(300).SetInt64(1), f)
		hi, _ := q.Float64()
		q.Sub(q, new(big.Float).SetFloat64(hi))
		lo, _ := q.Float64()
		out[i] = dd{hi, lo}
	}
	return out
}

// reduce returns r = x - k*pi/2 with |r| <= ~pi/4 and k mod 4.
func reduce(x float64) (dd, int) {
	k := math.Round(x / pio2a)
	r := twoSum(x, -k*pio2a) // k*pio2a is exact for the small k used here
	if p := twoProd(k, pio2a); p.lo != 0 {
		r = dd{x, 0}.add(p.neg())
	}
	r = r.add(twoProd(k, pio2b).neg())
	r = r.add(dd{-k * pio2c, 0})
	return r, int(int64(k) & 3)
}

// sinSeries and cosSeries are the Taylor series for |r| <= ~pi/4.
func sinSeries(r dd) dd {
	r2 := r.mul(r)
	sum := invFact[29]
	for i := 27; i >= 1; i -= 2 {
		sum = sum.mul(r2).neg().add(invFact[i])
	}
	return sum.mul(r)
}

func cosSeries(r dd) dd {
	r2 := r.mul(r)
	sum := invFact[30]
	for i := 28; i >= 0; i -= 2 {
		sum = sum.mul(r2).neg().add(invFact[i])
	}
	return sum
}

// sinDD and cosDD return sin and cos of x in double-double precision.
func sinDD(x float64) dd {
	r, q := reduce(x)
	switch q {
	case 0:
		return sinSeries(r)
	case 1:
		return cosSeries(r)
	case 2:
		return sinSeries(r).neg()
	}
	return cosSeries(r).neg()
}

func cosDD(x float64) dd {
	r, q := reduce(x)
	switch q {
	case 0:
		return cosSeries(r)
	case 1:
		return sinSeries(r).neg()
	case 2:
		return cosSeries(r).neg()
	}
	return sinSeries(r)
}

// Sin is a correctly rounded sine for the arguments geo uses (|x| well
// below 2^20).
func Sin(x float64) float64 {
	if x == 0 || math.IsNaN(x) || math.IsInf(x, 0) || math.Abs(x) > 1<<20 {
		return math.Sin(x)
	}
	return sinDD(x).round()
}

// Cos is a correctly rounded cosine for the arguments geo uses.
func Cos(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) || math.Abs(x) > 1<<20 {
		return math.Cos(x)
	}
	return cosDD(x).round()
}

// Asin is a correctly rounded arcsine: Go's estimate refined by Newton
// steps on the double-double sine.
func Asin(x float64) float64 {
	if math.IsNaN(x) || x == 0 || math.Abs(x) >= 1 {
		return math.Asin(x)
	}
	y := dd{math.Asin(x), 0}
	for i := 0; i < asinSteps; i++ {
		s := sinDD(y.hi)
		// sin(hi + lo) ~ sin(hi) + lo*cos(hi)
		c := cosDD(y.hi)
		s = s.add(c.mulF(y.lo))
		diff := dd{x, 0}.add(s.neg())
		y = y.add(dd{diff.round() / c.round(), 0})
	}
	return y.round()
}

// asinSteps Newton steps take Go's estimate (within a few ulps) to about
// 100 bits.
var asinSteps = 1
