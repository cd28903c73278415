/*
** model_fastmath_lanes.h: the body of model_fastmath.c for one vector
** width, included once per width (no include guard; it #undefs the names
** below at its end).  The includer
** defines FM_W (lanes), FM_ATTR (a target attribute or nothing), FM_FN(n)
** (the name of n at this width) and the type names vd, vi and vu; this
** file defines FM_FN(exp), FM_FN(expm1) and FM_FN(log) over arrays.  Every
** lane is computed by the same operations at every width: the results do
** not depend on it.
*/
typedef double vd __attribute__((vector_size(FM_W * sizeof(double))));
typedef int64_t vi __attribute__((vector_size(FM_W * sizeof(int64_t))));
typedef uint64_t vu __attribute__((vector_size(FM_W * sizeof(uint64_t))));

#define splat(a) ((vd){ 0 } + (a))	/* not for -0.0: 0 + -0 is +0 */


FM_INLINE FM_ATTR vd FM_FN(vabs)(vd x)
{
	return (vd)((vi)x & ((vi){ 0 } + INT64_MAX));
}

/* m where mask lanes are set (all bits), else o */
FM_INLINE FM_ATTR vd FM_FN(sel)(vi mask, vd m, vd o)
{
	return (vd)(((vi)m & mask) | ((vi)o & ~mask));
}

FM_INLINE FM_ATTR int FM_FN(all_set)(vi m)
{
	int64_t a = -1;
	for (int j = 0; j < FM_W; j++)
		a &= m[j];
	return a == -1;
}

FM_INLINE FM_ATTR vi FM_FN(core_exp_mask)(vd x)
{
	return FM_FN(vabs)(x) <= splat(exp_lim);	/* false for NaN */
}

/*
** exp(r) - 1 - r = r^2 (c2 + c3 r + ... + c13 r^11), c_k = 1/k!, evaluated
** by Estrin's scheme (a dependency chain of 4 multiply-adds, not 12).
*/
FM_INLINE FM_ATTR vd FM_FN(taylor_tail)(vd r)
{
	vd r2 = r * r, r4 = r2 * r2, r8 = r4 * r4;
	vd q0 = splat(0.5) + splat(0x1.5555555555555p-3) * r;
	vd q1 = splat(0x1.5555555555555p-5) + splat(0x1.1111111111111p-7) * r;
	vd q2 = splat(0x1.6c16c16c16c17p-10) + splat(0x1.a01a01a01a01ap-13) * r;
	vd q3 = splat(0x1.a01a01a01a01ap-16) + splat(0x1.71de3a556c734p-19) * r;
	vd q4 = splat(0x1.27e4fb7789f5cp-22) + splat(0x1.ae64567f544e4p-26) * r;
	vd q5 = splat(0x1.1eed8eff8d898p-29) + splat(0x1.6124613a86d09p-33) * r;
	vd p = (q0 + q1 * r2) + r4 * (q2 + q3 * r2) + r8 * (q4 + q5 * r2);
	return p * r2;
}

/* x = n ln2 + r: returns r, *nd = n (as a double) and *scale = 2^n */
FM_INLINE FM_ATTR vd FM_FN(reduce)(vd x, vd *nd, vd *scale)
{
	vd t = x * splat(log2e) + splat(shifter);
	vi n = (vi)t - (vi)splat(shifter);	/* the integer n, exactly */
	vd d = t - splat(shifter);

	*nd = d;
	*scale = (vd)((n + 1023) << 52);
	return (x - d * splat(ln2_hi)) - d * splat(ln2_lo);
}

FM_INLINE FM_ATTR vd FM_FN(exp_core)(vd x)
{
	vd nd, scale, r = FM_FN(reduce)(x, &nd, &scale);
	return (splat(1.0) + (r + FM_FN(taylor_tail)(r))) * scale;
}

FM_INLINE FM_ATTR vd FM_FN(expm1_core)(vd x)
{
	vd nd, scale, r, small, big, inv;
	vi is_small = FM_FN(vabs)(x) <= splat(0.5 * ln2_hi);

	small = x + FM_FN(taylor_tail)(x);
	small = FM_FN(sel)(x == splat(0.0), x, small);	/* expm1(-0) = -0 */
	r = FM_FN(reduce)(x, &nd, &scale);
	/* 2^-n: exponent bits 1023 - n = 2046 - (those of 2^n) */
	inv = (vd)((2046 - ((vu)scale >> 52)) << 52);	/* logical shifts: SSE2 has no 64-bit arithmetic shift */
	big = ((r + FM_FN(taylor_tail)(r)) + (splat(1.0) - inv)) * scale;
	return FM_FN(sel)(is_small, small, big);
}

FM_INLINE FM_ATTR vd FM_FN(log_core)(vd x)
{
	const vi mant = (vi){ 0 } + 0x000fffffffffffffLL, bit52 = (vi){ 0 } + (1LL << 52);
	vi b = (vi)x, e, m_bits, hi;
	vd m, f, s, z, z2, z4, z8, R, hfsq, ed;

	e = (vi)((vu)b >> 52);			/* x > 0: the biased exponent */
	m_bits = (b & mant) | ((vi)splat(1.0));	/* m in [1, 2) */
	m = (vd)m_bits;
	hi = m > splat(0x1.6a09e667f3bcdp+0);	/* m > sqrt(2): halve m, e + 1 */
	m = (vd)(m_bits - (hi & bit52));
	e = e - hi;				/* hi is -1 where set */
	/* e - 1023 as a double without an int64 -> double instruction (SSE2 has none) */
	ed = (vd)(e + (vi)splat(shifter)) - splat(shifter + 1023);
	f = m - splat(1.0);
	s = f / (splat(2.0) + f);
	z = s * s;
	/* R = sum 2 z^k / (2k + 1), k = 1 .. 10, by Estrin's scheme */
	z2 = z * z;
	z4 = z2 * z2;
	z8 = z4 * z4;
	R = (splat(2.0 / 3) + splat(2.0 / 5) * z) + z2 * (splat(2.0 / 7) + splat(2.0 / 9) * z) +
	    z4 * ((splat(2.0 / 11) + splat(2.0 / 13) * z) + z2 * (splat(2.0 / 15) + splat(2.0 / 17) * z)) +
	    z8 * (splat(2.0 / 19) + splat(2.0 / 21) * z);
	R = R * z;
	hfsq = splat(0.5) * f * f;
	return ed * splat(ln2_hi) + (f - ((hfsq - s * (hfsq + R)) - ed * splat(ln2_lo)));
}

FM_INLINE FM_ATTR vi FM_FN(core_log_mask)(vd x)
{
	return (x >= splat(0x1p-1022)) & (x <= splat(0x1.fffffffffffffp1023));
}

/*
** The driver: whole vectors, the tail through a padded vector (the same
** arithmetic); lanes outside the core range get libm's value (y may be x).
*/
#define FM_DRIVER(name, core, maskfn, libm, safe)				\
	FM_INLINE FM_ATTR vd FM_FN(name##_vec)(vd v)				\
	{									\
		vi ok = FM_FN(maskfn)(v);					\
		vd r = FM_FN(core)(FM_FN(sel)(ok, v, splat(safe)));		\
		if (!FM_FN(all_set)(ok))					\
			for (int j = 0; j < FM_W; j++)				\
				if (!ok[j])					\
					r[j] = libm(v[j]);			\
		return r;							\
	}									\
	static FM_ATTR void FM_FN(name)(double *y, const double *x, size_t n)	\
	{									\
		size_t i = 0;							\
		for (; i + FM_W <= n; i += FM_W) {				\
			vd v;							\
			memcpy(&v, x + i, sizeof(v));				\
			v = FM_FN(name##_vec)(v);				\
			memcpy(y + i, &v, sizeof(v));				\
		}								\
		if (i < n) {							\
			vd v = splat(safe);					\
			for (size_t j = i; j < n; j++)				\
				v[j - i] = x[j];				\
			v = FM_FN(name##_vec)(v);				\
			for (size_t j = i; j < n; j++)				\
				y[j] = v[j - i];				\
		}								\
	}
FM_DRIVER(exp, exp_core, core_exp_mask, exp, 0.0)
FM_DRIVER(expm1, expm1_core, core_exp_mask, expm1, 0.0)
FM_DRIVER(log, log_core, core_log_mask, log, 1.0)
#undef FM_DRIVER

/*
** sin(2 pi t) and cos(2 pi t): t = q/4 + f with q = round(4t) (exact),
** |f| <= 1/8, a = 2 pi f in [-pi/4, pi/4] (one rounding), Taylor
** polynomials of degree 15 (sin) and 16 (cos) by Estrin's scheme
** (truncation below 2e-17), then the quarter turns q.
*/
FM_INLINE FM_ATTR void FM_FN(sincos2pi_core)(vd t, vd *sn, vd *cs)
{
	vd q4 = t * splat(4.0), qd = (q4 + splat(shifter)) - splat(shifter);
	vi q = (vi)(q4 + splat(shifter)) - (vi)splat(shifter);
	vd f = t - qd * splat(0.25), a = f * splat(0x1.921fb54442d18p+2);	/* 2 pi */
	vd a2 = a * a, a4 = a2 * a2, a8 = a4 * a4, s, c, swap, ns, nc;
	vi odd, neg_s, neg_c;

	s = (splat(-1.0 / 6) + splat(1.0 / 120) * a2) +
	    a4 * (splat(-1.0 / 5040) + splat(1.0 / 362880) * a2) +
	    a8 * ((splat(-1.0 / 39916800) + splat(1.0 / 6227020800.0) * a2) +
		  a4 * (splat(-1.0 / 1307674368000.0)));
	s = a + a * (a2 * s);
	c = (splat(-0.5) + splat(1.0 / 24) * a2) + a4 * (splat(-1.0 / 720) + splat(1.0 / 40320) * a2) +
	    a8 * ((splat(-1.0 / 3628800) + splat(1.0 / 479001600) * a2) +
		  a4 * (splat(-1.0 / 87178291200.0) + splat(1.0 / 20922789888000.0) * a2));
	c = splat(1.0) + a2 * c;
	/* quarter turns: q mod 4 = 1: (c, -s) -> sin = c, cos = -s; 2: (-s, -c); 3: (-c, s) */
	odd = (q & 1) != 0;
	neg_s = (q & 2) != 0;			/* sin < 0 for q = 2, 3 */
	neg_c = ((q + 1) & 2) != 0;		/* cos < 0 for q = 1, 2 */
	swap = FM_FN(sel)(odd, c, s);
	c = FM_FN(sel)(odd, s, c);
	s = swap;
	ns = (vd)((vi)s ^ (neg_s & ((vi){ 0 } + INT64_MIN)));	/* the sign bit */
	nc = (vd)((vi)c ^ (neg_c & ((vi){ 0 } + INT64_MIN)));
	*sn = ns;
	*cs = nc;
}

/* sn[i] = sin(2 pi t[i]), cs[i] = cos(2 pi t[i]) for |t| < 2^50 (the Monte Carlo's t in [0, 1)) */
static FM_ATTR void FM_FN(sincos2pi)(double *sn, double *cs, const double *t, size_t n)
{
	size_t i = 0;
	for (; i + FM_W <= n; i += FM_W) {
		vd v, a, b;
		memcpy(&v, t + i, sizeof(v));
		FM_FN(sincos2pi_core)(v, &a, &b);
		memcpy(sn + i, &a, sizeof(a));
		memcpy(cs + i, &b, sizeof(b));
	}
	if (i < n) {
		vd v = splat(0.0), a, b;
		for (size_t j = i; j < n; j++)
			v[j - i] = t[j];
		FM_FN(sincos2pi_core)(v, &a, &b);
		for (size_t j = i; j < n; j++) {
			sn[j] = a[j - i];
			cs[j] = b[j - i];
		}
	}
}

#undef splat
/* the next inclusion defines them anew */
#undef FM_W
#undef FM_ATTR
#undef FM_FN
#undef vd
#undef vi
#undef vu
