//! A streaming reader of trail files' JSON: the top-level object and its
//! `Records` (S3 delivery) or `Events` (`aws cloudtrail lookup-events`)
//! array, one element at a time, without a DOM and without holding more
//! than one element in memory.
//!
//! It does not parse the elements: it finds where each one ends (counting
//! brackets outside strings, jumping through strings with `memchr`) and
//! hands its bytes over, so a record of another service costs a scan, not
//! a parse. What it checks is the frame — an object, keys, an array of
//! values, nothing cut short — which is what a truncated or foreign file
//! breaks.

use std::io::{self, Read};

/// Bytes read from the file at a time.
const CHUNK: usize = 256 * 1024;

/// The largest element kept whole. CloudTrail records are kilobytes; a
/// larger one is not a trail file's, and must not make memory grow.
pub const MAX_ELEMENT: usize = 16 * 1024 * 1024;

/// Why a file's JSON could not be followed, with where.
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    #[error("{}", io_message(.0))]
    Io(#[from] io::Error),
    #[error("{what} at byte {at}")]
    Shape { what: &'static str, at: u64 },
    #[error("ends early at byte {at} (truncated?)")]
    Truncated { at: u64 },
    #[error("an element over {} MiB at byte {at}: not a CloudTrail record", MAX_ELEMENT >> 20)]
    TooLarge { at: u64 },
    #[error("neither a \"Records\" nor an \"Events\" array: not a CloudTrail log")]
    NotTrail,
}

/// An I/O error in one line; a gzip stream cut short says so.
fn io_message(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::UnexpectedEof => "ends early (truncated gzip?)".to_string(),
        io::ErrorKind::InvalidInput | io::ErrorKind::InvalidData => {
            format!("corrupt compressed data ({e})")
        }
        _ => e.to_string(),
    }
}

/// Which array an element came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Element {
    /// A CloudTrail record, as delivered to S3.
    Record,
    /// A `lookup-events` event, whose `CloudTrailEvent` is the record as a
    /// JSON string.
    LookupEvent,
}

/// Read one file's top-level object, handing each element of its
/// `Records` or `Events` array to `each`, in order. `each` returns false to
/// stop early (the load was cancelled).
pub fn scan<R: Read>(
    reader: R,
    mut each: impl FnMut(Element, &[u8]) -> bool,
) -> Result<(), ScanError> {
    let mut stream = Stream::new(reader);
    stream.skip_bom()?;
    stream.expect(b'{', "expected a JSON object")?;
    let mut arrays = 0;
    loop {
        match stream.peek_nonspace()? {
            b'}' => break,
            b'"' => {}
            _ => return Err(stream.shape("expected a key")),
        }
        let element = match stream.value()? {
            b"\"Records\"" => Some(Element::Record),
            b"\"Events\"" => Some(Element::LookupEvent),
            _ => None,
        };
        stream.expect(b':', "expected ':'")?;
        match element {
            Some(element) if stream.peek_nonspace()? == b'[' => {
                arrays += 1;
                if !stream.array(|bytes| each(element, bytes))? {
                    return Ok(());
                }
            }
            _ => {
                stream.value()?;
            }
        }
        match stream.peek_nonspace()? {
            b',' => stream.start += 1,
            b'}' => break,
            _ => return Err(stream.shape("expected ',' or '}'")),
        }
    }
    if arrays == 0 {
        return Err(ScanError::NotTrail);
    }
    Ok(())
}

/// A buffered window on the file: `buf[start..end]` is read and not yet
/// consumed.
struct Stream<R> {
    reader: R,
    buf: Vec<u8>,
    start: usize,
    end: usize,
    /// Bytes of the file before `buf[0]`, for positions in errors.
    offset: u64,
}

impl<R: Read> Stream<R> {
    fn new(reader: R) -> Self {
        Stream {
            reader,
            buf: vec![0; CHUNK],
            start: 0,
            end: 0,
            offset: 0,
        }
    }

    fn at(&self, index: usize) -> u64 {
        self.offset + index as u64
    }

    fn shape(&self, what: &'static str) -> ScanError {
        ScanError::Shape {
            what,
            at: self.at(self.start),
        }
    }

    /// Read more, keeping `buf[start..end]` (moved to the front). False at
    /// the end of the file.
    fn fill(&mut self) -> Result<bool, ScanError> {
        if self.start > 0 {
            self.buf.copy_within(self.start..self.end, 0);
            self.offset += self.start as u64;
            self.end -= self.start;
            self.start = 0;
        }
        if self.buf.len() - self.end < CHUNK / 2 {
            if self.end >= MAX_ELEMENT {
                return Err(ScanError::TooLarge { at: self.offset });
            }
            self.buf.resize(self.buf.len() + CHUNK, 0);
        }
        loop {
            match self.reader.read(&mut self.buf[self.end..]) {
                Ok(0) => return Ok(false),
                Ok(n) => {
                    self.end += n;
                    return Ok(true);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e.into()),
            }
        }
    }

    /// The next byte that is not JSON whitespace, not consumed.
    fn peek_nonspace(&mut self) -> Result<u8, ScanError> {
        loop {
            while self.start < self.end {
                match self.buf[self.start] {
                    b' ' | b'\t' | b'\n' | b'\r' => self.start += 1,
                    b => return Ok(b),
                }
            }
            if !self.fill()? {
                return Err(ScanError::Truncated {
                    at: self.at(self.start),
                });
            }
        }
    }

    fn expect(&mut self, byte: u8, what: &'static str) -> Result<(), ScanError> {
        if self.peek_nonspace()? != byte {
            return Err(self.shape(what));
        }
        self.start += 1;
        Ok(())
    }

    /// A UTF-8 byte order mark, which some editors write, is not JSON.
    fn skip_bom(&mut self) -> Result<(), ScanError> {
        while self.end - self.start < 3 && self.fill()? {}
        if self.buf[self.start..self.end].starts_with(b"\xEF\xBB\xBF") {
            self.start += 3;
        }
        Ok(())
    }

    /// The elements of the array that starts here, each handed to `each`
    /// whole. False when `each` asked to stop.
    fn array(&mut self, mut each: impl FnMut(&[u8]) -> bool) -> Result<bool, ScanError> {
        self.expect(b'[', "expected '['")?;
        if self.peek_nonspace()? == b']' {
            self.start += 1;
            return Ok(true);
        }
        loop {
            if !each(self.value()?) {
                return Ok(false);
            }
            match self.peek_nonspace()? {
                b',' => self.start += 1,
                b']' => {
                    self.start += 1;
                    return Ok(true);
                }
                _ => return Err(self.shape("expected ',' or ']'")),
            }
        }
    }

    /// The value that starts here, whole, consumed.
    fn value(&mut self) -> Result<&[u8], ScanError> {
        let first = self.peek_nonspace()?;
        let len = match first {
            b'{' | b'[' => self.composite_len()?,
            b'"' => self.string_len()?,
            b'}' | b']' | b',' | b':' => return Err(self.shape("expected a value")),
            _ => self.scalar_len()?,
        };
        let value = self.start..self.start + len;
        self.start += len;
        Ok(&self.buf[value])
    }

    /// Make sure `buf[start + len]` is read; false at the end of the file.
    /// Returns the index of that byte (the buffer may have moved).
    fn reach(&mut self, len: usize) -> Result<Option<usize>, ScanError> {
        while self.start + len >= self.end {
            if !self.fill()? {
                return Ok(None);
            }
        }
        Ok(Some(self.start + len))
    }

    fn truncated(&self) -> ScanError {
        ScanError::Truncated {
            at: self.at(self.end),
        }
    }

    /// Length of the string starting here, quotes included.
    fn string_len(&mut self) -> Result<usize, ScanError> {
        self.string_end(0)
    }

    /// Where the string whose opening quote is `from` bytes past `start`
    /// ends: the offset just past its closing quote.
    fn string_end(&mut self, from: usize) -> Result<usize, ScanError> {
        let mut len = from + 1;
        loop {
            let Some(i) = self.reach(len)? else {
                return Err(self.truncated());
            };
            match memchr::memchr2(b'"', b'\\', &self.buf[i..self.end]) {
                None => len = self.end - self.start,
                Some(k) if self.buf[i + k] == b'"' => return Ok(len + k + 1),
                // A backslash: the next byte, whatever it is, is escaped.
                Some(k) => len += k + 2,
            }
        }
    }

    /// Length of the object or array starting here: brackets counted
    /// outside strings (that they pair up is for the parser to check).
    fn composite_len(&mut self) -> Result<usize, ScanError> {
        let mut depth = 0usize;
        let mut len = 0;
        loop {
            if self.reach(len)?.is_none() {
                return Err(self.truncated());
            }
            let window = &self.buf[self.start + len..self.end];
            let mut k = 0;
            let mut in_string = false;
            while k < window.len() {
                match window[k] {
                    b'"' => {
                        in_string = true;
                        break;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            return Ok(len + k + 1);
                        }
                    }
                    _ => {}
                }
                k += 1;
            }
            len += k;
            if in_string {
                // Strings are most of a record: jump through them.
                len = self.string_end(len)?;
            }
        }
    }

    /// Length of a number or literal: up to the next delimiter.
    fn scalar_len(&mut self) -> Result<usize, ScanError> {
        let mut len = 0;
        loop {
            let Some(i) = self.reach(len)? else {
                return Err(self.truncated());
            };
            match self.buf[i] {
                b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r' => return Ok(len),
                _ => len += 1,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The elements `scan` hands over, read `chunk` bytes at a time.
    fn elements(text: &[u8], chunk: usize) -> Result<Vec<(Element, String)>, ScanError> {
        struct Trickle<'a>(&'a [u8], usize);
        impl Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let n = self.1.min(buf.len()).min(self.0.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let mut seen = Vec::new();
        scan(Trickle(text, chunk), |element, bytes| {
            seen.push((element, String::from_utf8_lossy(bytes).into_owned()));
            true
        })?;
        Ok(seen)
    }

    #[test]
    fn elements_come_whole_however_the_bytes_arrive() {
        let text = br#" {"Other": {"a": [1, "]"]}, "Records" : [ {"k":"v \"}\\"} , {"n":[1,{"x":null}]},"s", 12 ], "Events": [{"CloudTrailEvent":"{\"a\":1}"}] }"#;
        let expected = vec![
            (Element::Record, r#"{"k":"v \"}\\"}"#.to_string()),
            (Element::Record, r#"{"n":[1,{"x":null}]}"#.to_string()),
            (Element::Record, r#""s""#.to_string()),
            (Element::Record, "12".to_string()),
            (
                Element::LookupEvent,
                r#"{"CloudTrailEvent":"{\"a\":1}"}"#.to_string(),
            ),
        ];
        for chunk in [1, 2, 3, 7, 4096] {
            assert_eq!(
                elements(text, chunk).unwrap_or_else(|e| panic!("{e}")),
                expected
            );
        }
    }

    #[test]
    fn a_broken_frame_says_what_and_where() {
        let error = |text: &[u8]| match elements(text, 5) {
            Err(e) => e.to_string(),
            Ok(seen) => panic!("read {seen:?}"),
        };
        assert_eq!(error(b""), "ends early at byte 0 (truncated?)");
        assert_eq!(error(b"  [1]"), "expected a JSON object at byte 2");
        assert_eq!(
            error(br#"{"Records":[{"a":"b"#),
            "ends early at byte 19 (truncated?)"
        );
        assert_eq!(
            error(br#"{"Records":[{}}"#),
            "expected ',' or ']' at byte 14"
        );
        assert_eq!(
            error(br#"{"Records":[]"#),
            "ends early at byte 13 (truncated?)"
        );
        assert_eq!(
            error(br#"{"Records":5}"#),
            "neither a \"Records\" nor an \"Events\" array: not a CloudTrail log"
        );
        assert_eq!(error(br#"{1:2}"#), "expected a key at byte 1");
    }

    #[test]
    fn an_empty_trail_and_a_bom_are_fine() {
        assert_eq!(
            elements(b"\xEF\xBB\xBF{\"Records\":[]}", 2)
                .map(|e| e.len())
                .ok(),
            Some(0)
        );
    }

    #[test]
    fn an_element_past_the_limit_is_refused_without_reading_on() {
        let mut text = b"{\"Records\":[\"".to_vec();
        text.resize(MAX_ELEMENT + CHUNK * 2, b'a');
        let error = elements(&text, CHUNK)
            .map(|_| ())
            .err()
            .map(|e| e.to_string());
        assert!(error.is_some_and(|e| e.contains("over 16 MiB")));
    }
}
