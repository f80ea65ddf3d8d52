/**
 * The pieces of a year's criteria set that the criteria tests, the public results tests and the
 * results bench build their sets from: the Department's four bands and the criteria they share, so
 * a change of the set's shape (src/domain/criteria/schemas.ts) is made once.
 */
export const BANDS = [
  { name: 'Xuất sắc', minPercent: 90 },
  { name: 'Tốt', minPercent: 70 },
  { name: 'Khá', minPercent: 50 },
  { name: 'Trung bình', minPercent: 0 },
]

/** Automatic: the unit has a linked focal point. */
export const FOCAL_POINT_LINKED = { code: 'A1', title: 'Có đầu mối truyền thông đã liên kết', maxPoints: 10, type: 'automatic', metric: 'focal_point_linked' } as const
/** Automatic: schools and wards sent their periodic reports. */
export const REPORTS_SENT = { code: 'A2', title: 'Gửi đủ báo cáo định kỳ', maxPoints: 10, type: 'automatic', metric: 'reports_sent', appliesTo: ['school', 'commune'] } as const
/** Manual, schools only: an activity for Teachers' Day (20/11). */
export const TEACHERS_DAY = { code: 'B1', title: 'Tổ chức hoạt động chào mừng 20/11', maxPoints: 20, type: 'manual', appliesTo: ['school'] } as const

/** A set whose first group is "Tổ chức thực hiện" with `organisation`, then `groups`, with the four bands. */
export function criteriaSet(organisation: readonly object[], groups: readonly object[]) {
  return { bands: BANDS, groups: [{ code: 'A', title: 'Tổ chức thực hiện', criteria: organisation }, ...groups] }
}
