//! A streaming reader of downloadbill and merchant-platform bills: a header row, one
//! backtick-prefixed row per transaction, then a summary block that is checked against
//! the rows. Amounts become `Fen` and `Fee` by string arithmetic, times UTC. Fund-flow
//! bills (downloadfundflow) have their own reader beside it.

mod fund_flow;
mod layout;
mod row;

use std::io::BufRead;

pub use fund_flow::{parse_fund_flow, FundFlow, FundFlowRow, FundFlowSummary};
pub use layout::BillLayout;
pub use row::{BillRow, BillSummary};

use layout::{Columns, Header};
use row::{Cells, Totals};

/// A bill that cannot be read, with the line where reading stopped.
#[derive(Debug, thiserror::Error)]
pub enum BillError {
    #[error("bill is empty")]
    Empty,
    #[error("line {line}: expected the bill's header row (交易时间,公众账号ID,...)")]
    MissingHeader { line: usize },
    #[error("line {line}: unknown bill layout with columns {columns}")]
    UnknownLayout { line: usize, columns: String },
    #[error("line {line}: malformed row: {reason}")]
    MalformedRow { line: usize, reason: String },
    #[error("bill ends without its summary (总交易单数): the file may be cut short")]
    MissingSummary,
    #[error("line {line}: summary {column} is {summary} but the rows add up to {rows}")]
    SummaryMismatch {
        line: usize,
        column: &'static str,
        summary: String,
        rows: String,
    },
    #[error("line {line}: content after the summary")]
    TrailingContent { line: usize },
    #[error("line {line}: failed to read the bill: {source}")]
    Io {
        line: usize,
        #[source]
        source: std::io::Error,
    },
}

/// The first cell of the summary header, in every layout.
const SUMMARY_FIRST: &str = "总交易单数";

/// Reads a bill row by row. Iterating yields every transaction row; once the summary has
/// been read and matched against the rows, `summary` returns it.
pub struct BillReader<R> {
    input: R,
    header: Header,
    line: usize,
    totals: Totals,
    summary: Option<BillSummary>,
    finished: bool,
}

impl<R: BufRead> BillReader<R> {
    /// Reads up to and including the header row, and recognises the layout.
    pub fn new(input: R) -> Result<BillReader<R>, BillError> {
        let mut reader = BillReader {
            input,
            header: Header {
                layout: BillLayout::All,
                columns: Columns::from_names(&[]),
            },
            line: 0,
            totals: Totals::default(),
            summary: None,
            finished: false,
        };
        let first = loop {
            match reader.next_line()? {
                None => return Err(BillError::Empty),
                Some(text) if text.trim().is_empty() => continue,
                Some(text) => break text,
            }
        };
        let first = first.trim_start_matches('\u{feff}');
        if first.starts_with('`') || !first.starts_with("交易时间") {
            return Err(BillError::MissingHeader { line: reader.line });
        }
        let names: Vec<String> = first.split(',').map(|n| n.trim().to_owned()).collect();
        reader.header = Header::recognise(&names).ok_or_else(|| BillError::UnknownLayout {
            line: reader.line,
            columns: first.to_owned(),
        })?;
        Ok(reader)
    }

    pub fn layout(&self) -> BillLayout {
        self.header.layout
    }

    /// Returns the summary, once iteration has reached it.
    pub fn summary(&self) -> Option<&BillSummary> {
        self.summary.as_ref()
    }

    /// Returns the next line without its line ending, or None at the end.
    fn next_line(&mut self) -> Result<Option<String>, BillError> {
        let mut text = String::new();
        let read = self
            .input
            .read_line(&mut text)
            .map_err(|source| BillError::Io {
                line: self.line + 1,
                source,
            })?;
        if read == 0 {
            return Ok(None);
        }
        self.line += 1;
        let trimmed = text.trim_end_matches(['\n', '\r']).len();
        text.truncate(trimmed);
        Ok(Some(text))
    }

    fn read_row(&mut self, text: &str) -> Result<BillRow, BillError> {
        let cells = split_cells(text, self.line)?;
        if cells.len() != self.header.columns.width {
            return Err(BillError::MalformedRow {
                line: self.line,
                reason: format!(
                    "{} cells, expected {} as in the header",
                    cells.len(),
                    self.header.columns.width
                ),
            });
        }
        let view = Cells {
            columns: &self.header.columns,
            cells: &cells,
        };
        let row = view.row(self.line).map_err(|e| BillError::MalformedRow {
            line: self.line,
            reason: e.0,
        })?;
        self.totals.add(&row);
        Ok(row)
    }

    /// Reads the summary block after its header line and checks it against the rows.
    fn read_summary(&mut self, header_text: &str) -> Result<(), BillError> {
        let names: Vec<String> = header_text
            .split(',')
            .map(|n| n.trim().to_owned())
            .collect();
        let columns = Columns::from_names(&names);
        let values = loop {
            match self.next_line()? {
                None => return Err(BillError::MissingSummary),
                Some(text) if text.trim().is_empty() => continue,
                Some(text) => break text,
            }
        };
        let cells = split_cells(&values, self.line)?;
        if cells.len() != columns.width {
            return Err(BillError::MalformedRow {
                line: self.line,
                reason: format!(
                    "summary has {} cells, expected {}",
                    cells.len(),
                    columns.width
                ),
            });
        }
        let view = Cells {
            columns: &columns,
            cells: &cells,
        };
        let summary = view.summary().map_err(|e| BillError::MalformedRow {
            line: self.line,
            reason: e.0,
        })?;
        if let Some((column, summary, rows)) = self.totals.mismatch(&summary) {
            return Err(BillError::SummaryMismatch {
                line: self.line,
                column,
                summary,
                rows,
            });
        }
        self.summary = Some(summary);

        while let Some(text) = self.next_line()? {
            if !text.trim().is_empty() {
                return Err(BillError::TrailingContent { line: self.line });
            }
        }
        Ok(())
    }

    fn advance(&mut self) -> Result<Option<BillRow>, BillError> {
        loop {
            let Some(text) = self.next_line()? else {
                return Err(BillError::MissingSummary);
            };
            if text.trim().is_empty() {
                continue;
            }
            if text.starts_with(SUMMARY_FIRST) {
                self.read_summary(&text)?;
                return Ok(None);
            }
            return self.read_row(&text).map(Some);
        }
    }
}

impl<R: BufRead> Iterator for BillReader<R> {
    type Item = Result<BillRow, BillError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.finished {
            return None;
        }
        match self.advance() {
            Ok(Some(row)) => Some(Ok(row)),
            Ok(None) => {
                self.finished = true;
                None
            }
            Err(error) => {
                self.finished = true;
                Some(Err(error))
            }
        }
    }
}

/// Splits a data line into cells. Every cell starts with a backtick (WeChat adds it so
/// spreadsheets keep long numbers as text), so cells are split at `,` followed by a
/// backtick: a comma inside a product name is not a boundary.
pub(crate) fn split_cells(text: &str, line: usize) -> Result<Vec<&str>, BillError> {
    let Some(rest) = text.strip_prefix('`') else {
        return Err(BillError::MalformedRow {
            line,
            reason: "a data row must start with a backtick".into(),
        });
    };
    Ok(rest.split(",`").collect())
}

/// A whole bill read into memory.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Bill {
    pub layout: BillLayout,
    pub rows: Vec<BillRow>,
    pub summary: BillSummary,
}

/// Reads a whole bill from text, as `PayClient::download_bill` returns it.
pub fn parse_bill(text: &str) -> Result<Bill, BillError> {
    let mut reader = BillReader::new(text.as_bytes())?;
    let rows = reader.by_ref().collect::<Result<Vec<_>, _>>()?;
    let summary = reader.summary.take().ok_or(BillError::MissingSummary)?;
    Ok(Bill {
        layout: reader.layout(),
        rows,
        summary,
    })
}
